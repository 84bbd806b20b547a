"""What the editor's pages call things, in Dutch: the kinds of items, and when the line says
each of its fixed sentences (the prompts, by the start of their keys)."""

from __future__ import annotations

from ivr.core.content_fields import OFFERING, PROMPT, QUESTION, SERVICE, Item

KIND_NAMES = {QUESTION: "Vraag", OFFERING: "Advies", PROMPT: "Tekst van de lijn",
              SERVICE: "Dienst"}  # fmt: skip

# When the line says a prompt, for an editor: by the start of its key (the first that fits).
PROMPT_MOMENTS = (
    (("contact_", "offer_", "numbers_intro", "closed_", "menu_help", "restart_question"),
     "Bij het advies: nummers, openingstijden en het menu erna"),
    (("welcome", "keys"), "Het welkom en de toetsen"),
    (("connecting", "call_later", "no_answer", "transfer_"), "Doorverbinden"),
    (("callback_",), "Terugbellen"),
    (("sms_",), "De sms en wat de lijn erover zegt"),
    (("whisper_",), "Wat de helpdesk hoort als een beller wordt doorverbonden"),
)  # fmt: skip
OTHER_MOMENTS = "Als de beller niets of iets onverwachts toetst, terug wil of ophangt"


def by_moment(prompts: list[Item]) -> list[tuple[str, list[Item]]]:
    """The prompts by when the line says them, each group where its first prompt is."""
    groups: dict[str, list[Item]] = {}
    for item in prompts:
        groups.setdefault(moment_of(item.id), []).append(item)
    return list(groups.items())


def moment_of(key: str) -> str:
    """When the line says the prompt ``key``, in the editor's words."""
    return next((said for keys, said in PROMPT_MOMENTS if key.startswith(keys)), OTHER_MOMENTS)
