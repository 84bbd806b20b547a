"""The alert e-mail's text (ivr.outbound.alert_mail.alert_text): what failed, since when, what
to check; and the operator's guide shows each alert as it is sent."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from ivr.core.alerts import Alert, Trouble
from ivr.core.hours import AMSTERDAM
from ivr.outbound.alert_mail import alert_text
from tests.support.alerts import HOUR, NAMES, alert
from tests.support.checkout import CHECKOUT


@pytest.mark.parametrize(
    ("found", "subject", "first_lines"),
    [
        pytest.param(alert(Trouble.TRANSFER, "markant", "declined"),
                     "doorverbinden naar de helpdesk van Markant mislukt",
                     ["Doorverbinden naar de helpdesk van Markant is 4 keer op rij mislukt, "
                      "sinds 2026-11-23 09:02 (Nederlandse tijd).",
                      "Laatste uitkomst: niet aangenomen: geen 1 gedrukt na het fluisteren."],
                     id="transfer"),
        pytest.param(alert(Trouble.SMS, cause="Twilio refused the SMS (code 21610)"),
                     "sms versturen mislukt",
                     ["Het advies per sms is 4 keer op rij niet verstuurd, sinds 2026-11-23 "
                      "09:02 (Nederlandse tijd).",
                      "Laatste fout: Twilio refused the SMS (code 21610)."], id="sms"),
        pytest.param(alert(Trouble.HELPDESK_MAIL, cause="SMTPAuthenticationError"),
                     "e-mail aan de helpdesk mislukt",
                     ["De e-mail die de helpdesk over nieuwe terugbelverzoeken inlicht, is 4 keer "
                      "op rij niet verstuurd, sinds 2026-11-23 09:02 (Nederlandse tijd).",
                      "Laatste fout: SMTPAuthenticationError."], id="helpdesk-mail"),
        pytest.param(alert(Trouble.STORAGE, cause="the database did not answer within 2 s"),
                     "database onbereikbaar",
                     ["De database antwoordde 4 keer op rij niet of met een fout, sinds "
                      "2026-11-23 09:02 (Nederlandse tijd).",
                      "Laatste fout: the database did not answer within 2 s."], id="storage"),
    ],
)  # fmt: skip
def test_each_alert_says_what_failed_since_when_and_what_to_check(
    found: Alert, subject: str, first_lines: list[str]
) -> None:
    title, text = alert_text(found, NAMES, HOUR)
    lines = text.splitlines()
    assert title == f"Storing op de Mantelzorglijn: {subject}"
    assert lines[:2] == first_lines
    assert "Controleer:" in lines
    assert lines[-2:] == [
        "Een volgende melding hierover komt op zijn vroegst over 60 minuten.",
        "Deze e-mail bevat geen telefoonnummers en geen gegevens van bellers.",
    ]
    assert not re.search(r"\d{6,}|CA[0-9a-f]{32}", text)


DOCUMENTED = [  # the examples in docs/operators.md ("Monitoring")
    Alert(Trouble.TRANSFER, "markant", 3, datetime(2026, 12, 7, 9, 14, tzinfo=AMSTERDAM), "declined"),
    Alert(Trouble.SMS, "", 5, datetime(2026, 12, 7, 9, 14, tzinfo=AMSTERDAM),
          "Twilio refused the SMS (code 30003)"),
    Alert(Trouble.HELPDESK_MAIL, "", 3, datetime(2026, 12, 7, 9, 14, tzinfo=AMSTERDAM),
          "SMTPAuthenticationError"),
    Alert(Trouble.STORAGE, "", 12, datetime(2026, 12, 7, 9, 14, tzinfo=AMSTERDAM),
          "the database did not answer within 2 s"),
]  # fmt: skip


def test_the_operators_guide_shows_each_alert_as_sent() -> None:
    guide = (CHECKOUT / "docs" / "operators.md").read_text(encoding="utf-8")
    shown = re.findall(r"```text\n(Subject: Storing op de Mantelzorglijn.*?)```", guide, re.S)
    sent = []
    for documented in DOCUMENTED:
        title, text = alert_text(documented, NAMES, HOUR)
        sent.append(f"Subject: {title}\n\n{text}")
    assert shown == sent
    assert {documented.trouble for documented in DOCUMENTED} == set(Trouble)
