"""Dutch, the line's source language: every prompt and tree text is written in it first.

The prompts are ``prompts/nl.yaml``; these are the words the core builds spoken Dutch from.
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

# Amazon Polly's nl-NL voices (Lotte, a standard voice, reads every SSML <prosody> attribute)
# and Google's; all of them read SSML, so a slower <prosody rate> works with each.
_GOOGLE = tuple(
    f"Google.nl-NL-{kind}-{letter}" for kind in ("Standard", "Wavenet") for letter in "ABCDEFG"
)

LANGUAGE = Language(
    code="nl",
    name="Dutch",
    dutch_name="Nederlands",
    twilio_language="nl-NL",
    voices=("Polly.Lotte", "Polly.Ruben", "Polly.Laura-Neural", *_GOOGLE),
    numbers=words("nul één twee drie vier vijf zes zeven acht negen tien elf twaalf"),
    clock=ClockWords(
        o_clock="{hour} uur",
        half="half {next}",
        quarter_past="kwart over {hour}",
        quarter_to="kwart voor {next}",
        minutes="{hour} uur {minutes}",
    ),
    calendar=CalendarWords(
        weekdays=words("maandag dinsdag woensdag donderdag vrijdag zaterdag zondag"),
        weekday_abbreviations=words("ma di wo do vr za zo"),
        months=words(
            "januari februari maart april mei juni juli augustus september oktober november "
            "december"
        ),
        workdays="op werkdagen",
        one_day="op {day}",
        days="van {first} tot en met {last}",
        opening="{days} van {start} tot {end}",
        openings_joined_by=", en ",
        today="vandaag om {time}",
        tomorrow="morgen om {time}",
        this_week="op {weekday} om {time}",
        later="op {day} {month} om {time}",
    ),
    replies=ReplyWords(
        letters="a-zà-ÿ",
        yes=frozenset(words("ja jawel jazeker zeker klopt graag yes jep ok oké goed")),
        no=frozenset(words("nee neen nein no niet nooit geen")),
        certain_yes=frozenset({"ja", "jawel", "jazeker"}),
        certain_no=frozenset({"nee", "neen"}),
        help=("weet ik niet", "weet niet", "geen idee", "uitleg", "wat betekent"),
        operator=("medewerker", "iemand spreken", "mens", "doorverbinden", "operator"),
        repeat=("herhaal", "herhalen", "nog een keer", "nog eens", "opnieuw horen"),
        back=("terug", "vorige"),
        help_together=(frozenset({"weet", "niet"}), frozenset({"weet", "geen"})),
        hints="ja, nee, ja hoor, nee dank u, weet ik niet, herhaal, terug, medewerker",
    ),
    written=WrittenWords(
        abbreviations=(
            ("bijv.", "bijvoorbeeld"),
            ("bv.", "bijvoorbeeld"),
            ("o.a.", "onder andere"),
            ("t/m", "tot en met"),
            ("enz.", "enzovoort"),
            ("i.p.v.", "in plaats van"),
            ("z.s.m.", "zo snel mogelijk"),
            ("d.w.z.", "dat wil zeggen"),
            ("m.b.t.", "met betrekking tot"),
            ("incl.", "inclusief"),
            ("ca.", "ongeveer"),
            ("evt.", "eventueel"),
            ("max.", "maximaal"),
            ("tel.", "telefoonnummer"),
            ("nr.", "nummer"),
        ),
        # As Dutch callers know them ("wee el zet"); matched case-sensitively.
        spelled=words("ELV Wlz WLZ Wmo WMO GGD GGZ ggz CAK CIZ UWV SVB PGB pgb AOW"),
        day_range_marks=("t/m",),
        time_range_marks=("tot",),
        o_clock_mark="uur",
        days="{first} tot en met {last}",
        times="van {start} tot {end}",
        times_after="{start} tot {end}",
        times_after_word="van",
        free_number="gratis nummer {number}",
        free_word="gratis",
    ),
    # Dutch letters outside GSM 03.38, written plainly (Cliëntenbelang: Clientenbelang).
    sms_plain_letters=("ëïêîôûáíóúËÏ", "eieiouaiouEI"),
)
