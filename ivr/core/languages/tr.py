"""Turkish, for Turkish Amsterdammers who care for someone: Türkçe (tr-TR).

The prompts are ``prompts/tr.yaml`` and the tree's texts ``tree/translations/tr.yaml``, both
translations of the Dutch (``ivr.core.translation``); these are the words the core builds spoken
Turkish from. Turkish adds suffixes to a word that depend on the word ("dokuzda", "dörtte"), so
every phrase here puts its ``{placeholders}`` where no suffix is needed ("saat {start} ile {end}
arasında", "bugün, saat {time}"). The Dutch names a caller must say or recognise (Sociaal loket,
Wmo, Wlz) stay Dutch in the texts, and the acronyms are spelled as Dutch.
"""

from __future__ import annotations

from ivr.core.language import (
    CalendarWords,
    ClockWords,
    Language,
    ReplyWords,
    WrittenWords,
    words,
)
from ivr.core.languages.nl import LANGUAGE as DUTCH

# Twilio's tr-TR voices that read SSML, so a slower <prosody rate> works with each: Amazon
# Polly's Filiz (standard) and Burcu (neural), and Google's Standard and WaveNet voices (not
# Google's Chirp3-HD voices, which read no SSML). As listed in twilio-node's
# src/twiml/VoiceResponse.ts (SayVoice).
_GOOGLE = tuple(
    f"Google.tr-TR-{kind}-{letter}" for kind in ("Standard", "Wavenet") for letter in "ABCDE"
)

LANGUAGE = Language(
    code="tr",
    name="Turkish",
    dutch_name="Turks",
    twilio_language="tr-TR",
    voices=("Polly.Filiz", "Polly.Burcu-Neural", *_GOOGLE),
    numbers=(
        *words("sıfır bir iki üç dört beş altı yedi sekiz dokuz on"),
        "on bir",
        "on iki",
    ),
    clock=ClockWords(
        o_clock="{hour}",  # "saat" comes before the time: "saat {start} ile {end} arasında"
        half="{hour} buçuk",
        quarter_past="{hour} on beş",
        quarter_to="{hour} kırk beş",
        minutes="{hour} {minutes}",
    ),
    calendar=CalendarWords(
        weekdays=words("pazartesi salı çarşamba perşembe cuma cumartesi pazar"),
        weekday_abbreviations=words("Pzt Sal Çar Per Cum Cmt Paz"),
        months=words("Ocak Şubat Mart Nisan Mayıs Haziran Temmuz Ağustos Eylül Ekim Kasım Aralık"),
        workdays="hafta içi",
        one_day="{day} günü",
        days="{first} ile {last} arası",
        opening="{days}, saat {start} ile {end} arasında",
        openings_joined_by=" ve ",
        # After a colon in the prompts ("Tekrar arayabilirsiniz: yarın, saat dokuz."): a time
        # with a suffix ("dokuzda") would depend on the number.
        today="bugün, saat {time}",
        tomorrow="yarın, saat {time}",
        this_week="{weekday}, saat {time}",
        later="{day} {month}, saat {time}",
    ),
    replies=ReplyWords(
        # Speech comes lower-cased; "I" lower-cases to "i", so "hayir" is heard as well.
        letters="a-zçğıöşüâîû",
        yes=frozenset(words("evet tabii tabi elbette olur tamam peki aynen var isterim istiyorum")),
        no=frozenset(words("hayır hayir yok değil olmaz istemem istemiyorum")),
        certain_yes=frozenset({"evet"}),
        certain_no=frozenset({"hayır", "hayir"}),
        help=(
            "bilmiyorum",
            "bilemiyorum",
            "bilmem",
            "fikrim yok",
            "emin değilim",
            "anlamadım",
            "ne demek",
            "açıklar mısınız",
        ),
        # Matched as whole words: the forms with "ile" ("görevliyle") and "-e" are listed too.
        operator=(
            *words("görevli görevliyle görevliye çalışan çalışanla çalışana operatör"),
            *words("operatörle operatöre temsilci temsilciyle temsilciye danışman danışmanla"),
            *words("insan insanla biriyle bağlayın"),
        ),
        repeat=("tekrar", "tekrarla", "tekrarlayın", "bir daha", "yeniden"),
        back=("geri", "önceki"),
        help_together=(frozenset({"emin", "değilim"}), frozenset({"bilgim", "yok"})),
        hints="evet, hayır, evet lütfen, hayır teşekkürler, bilmiyorum, tekrar, geri, görevli",
    ),
    written=WrittenWords(
        abbreviations=(
            ("örn.", "örneğin"),
            ("vb.", "ve benzeri"),
            ("vs.", "vesaire"),
            ("yak.", "yaklaşık"),
            ("tel.", "telefon"),
        ),
        # The Dutch acronyms a caller must say to Dutch services, letter by letter ("W L Z").
        spelled=DUTCH.written.spelled,
        day_range_marks=(),  # "Pzt-Cum": only a dash
        time_range_marks=(),
        o_clock_mark="saat",  # Turkish writes it before a time; a stray one after is dropped
        days="{first} ile {last} arası",
        times="saat {start} ile {end} arasında",
        times_after="{start} ile {end} arasında",
        times_after_word="saat",
        free_number="ücretsiz numara {number}",
        free_word="ücretsiz",
    ),
    # Turkish letters outside GSM 03.38 (ç ğ ı ş İ Ğ Ş, and â î û), written plainly; ö ü Ç Ö Ü
    # are GSM letters. Then the Dutch names the texts keep (Cliëntenbelang), as in Dutch.
    sms_plain_letters=(
        "çğışİĞŞâîû" + DUTCH.sms_plain_letters[0],
        "cgisIGSaiu" + DUTCH.sms_plain_letters[1],
    ),
    choice_key="6",
    choice="Türkçe için 6'ya basın.",
    # What Dutch speech recognition (nl-NL) writes when a caller says the language's name.
    choice_words=frozenset({"turks", "turkse", "türks", "türkçe", "turkce", "turkish"}),
    # "bir" is also the article "a" ("bir gün": a day): not counted as the number 1.
    ambiguous_numbers=frozenset({"bir"}),
    # "on sekiz" (18), "otuz altı" (36): numbers above twelve, not compared (as "achttien").
    tens=frozenset("on yirmi otuz kırk elli altmış yetmiş seksen doksan".split()),
)
