"""Moroccan Arabic (Darija), a recorded language: Twilio has no voice that speaks it.

Every text it needs is recorded by a person (``recordings/ary/``, ``ivr.audio.recordings``):
its prompts (``prompts/ary.yaml``) and the tree's texts (``tree/translations/ary.yaml``), in
Arabic script for the volunteer who records them, and these words, which the line composes
numbers (digit by digit), hours, days and moments from. A caller answers with keys only.
The Dutch names a caller must say or recognise (Sociaal loket, Buurtteam, Wmo, Wlz) stay Dutch,
in Latin letters, inside the Arabic texts.
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

LANGUAGE = Language(
    code="ary",
    name="Moroccan Arabic",
    dutch_name="Marokkaans-Arabisch",
    # Keys only: the language of <Gather>, never of <Say> (no voice speaks it).
    twilio_language="ar-MA",
    voices=(),
    numbers=words("صفر واحد جوج تلاتة ربعة خمسة ستة سبعة تمنية تسعة عشرة حضاش طناش"),
    clock=ClockWords(
        o_clock="الساعة {hour}",
        half="{hour} و نص",
        quarter_past="{hour} و ربع",
        quarter_to="{next} قل ربع",
        minutes="{hour} و {minutes} دقيقة",
    ),
    calendar=CalendarWords(
        weekdays=words("التنين التلات لاربع لخميس الجمعة السبت الحد"),
        weekday_abbreviations=words("تنين تلات ربع خميس جمعة سبت حد"),
        months=words("يناير فبراير مارس أبريل ماي يونيو يوليوز غشت شتنبر أكتوبر نونبر دجنبر"),
        workdays="من التنين حتى للجمعة",
        one_day="نهار {day}",
        days="من {first} حتى {last}",
        opening="{days} من {start} حتى {end}",
        openings_joined_by="، و ",
        today="اليوم مع {time}",
        tomorrow="غدا مع {time}",
        this_week="نهار {weekday} مع {time}",
        later="نهار {day} {month} مع {time}",
    ),
    # Not heard (keys only), but complete: what ar-MA speech recognition would write.
    replies=ReplyWords(
        letters="\u0621-\u064aa-z",
        yes=frozenset(words("إيه آه واخا نعم ايوا صافي")),
        no=frozenset(words("لا لالا ماشي")),
        certain_yes=frozenset({"إيه", "نعم"}),
        certain_no=frozenset({"لا", "لالا"}),
        help=("ما عرفتش", "معرفتش", "ما فهمتش", "شرح ليا"),
        operator=("موظف", "شي حد", "بنادم", "نهضر مع"),
        repeat=("عاود", "عاودي", "مرة أخرى"),
        back=("رجع", "اللور"),
        help_together=(frozenset({"ما", "عرفتش"}),),
        hints="إيه, لا, ما عرفتش, عاود, رجع, موظف",
    ),
    written=WrittenWords(
        abbreviations=(),
        spelled=(),
        day_range_marks=(),
        time_range_marks=(),
        o_clock_mark="الساعة",
        days="من {first} حتى {last}",
        times="من {start} حتى {end}",
        times_after="{start} حتى {end}",
        times_after_word="من",
        free_number="نمرة فابور {number}",
        free_word="فابور",
    ),
    # An SMS in Arabic script is counted in UCS-2 segments: no letter is written otherwise.
    sms_plain_letters=("", ""),
    choice_key="5",
    choice="بالدارجة، ضغط 5.",
    # What Dutch speech recognition (nl-NL) writes when a caller says the language's name.
    choice_words=frozenset(
        {"arabisch", "marokkaans", "marokkaanse", "darija", "daarija", "derija", "arabia"}
    ),
    recorded=True,
)
