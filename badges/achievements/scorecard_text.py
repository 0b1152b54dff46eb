"""Swedish and English texts for the scorecard of ob3.scorecard: what each criterion means and what to add.

ob3 is a pure library, so it returns stable message keys with English defaults; the platform translates
them here. An unknown key falls back to the library's English text, so a new rule never shows a blank.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ob3.scorecard import Criterion, Message, Scorecard

# key -> (name, what it means). The six Kompetenspasset principles first, then the EU elements.
CRITERIA: dict[str, tuple[Promise, Promise]] = {
    "measurable_outcomes": (
        _("Measurable learning outcomes"),
        _("What the holder can do, and how that is checked."),
    ),
    "standalone_value": (
        _("Value on its own"),
        _("What the micro-credential is worth by itself, and for whom."),
    ),
    "combinable": (
        _("Can be combined"),
        _("How it fits together with other credentials and qualifications."),
    ),
    "transferable": (
        _("Transferable"),
        _("Level, credits and skills that other schools and employers recognise."),
    ),
    "quality_assured": (
        _("Quality assured"),
        _("Who checks the quality of the micro-credential, inside and outside your organisation."),
    ),
    "learner_owned": (
        _("Owned by the learner"),
        _("Anyone can check who issued it, and the learner keeps it."),
    ),
    "learner_identification": (_("Who the learner is"), _("The person who earned it.")),
    "title": (_("Title"), _("The name of the micro-credential.")),
    "issuer_country": (_("Country of the issuer"), _("Where the awarding body is based.")),
    "awarding_body": (_("Awarding body"), _("The organisation that issues it.")),
    "date_of_issuing": (_("Date of issuing"), _("When it was issued.")),
    "learning_outcomes": (_("Learning outcomes"), _("What the holder knows and can do.")),
    "workload": (_("Workload"), _("How much learning it takes, in credits or hours.")),
    "level": (_("Level"), _("The level in the European (EQF) or Swedish (SeQF) framework.")),
    "assessment_type": (_("Type of assessment"), _("How the learning is assessed.")),
    "participation_form": (_("Form of participation"), _("Online, on site or both.")),
    "quality_assurance": (_("Type of quality assurance"), _("What kind of quality review it has.")),
}

# Message key -> translated text with %(name)s parameters (the library's {name} parameters).
MESSAGES: dict[str, Promise] = {
    "scorecard.outcomes.none": _("Add at least one learning outcome."),
    "scorecard.outcome.statement": _("Learning outcome %(n)s: write what the learner can do."),
    "scorecard.outcome.vague": _(
        "Learning outcome %(n)s: start with a verb you can observe, such as 'explain', 'build' or 'analyse', "
        "instead of 'understand' or 'know'."
    ),
    "scorecard.outcome.criteria": _("Learning outcome %(n)s: add the assessment criteria."),
    "scorecard.outcome.rubric": _("Learning outcome %(n)s: add a rubric with at least two levels."),
    "scorecard.outcome.rubric_descriptions": _(
        "Learning outcome %(n)s: give every rubric level a name and a description."
    ),
    "scorecard.outcome.pass_level": _("Learning outcome %(n)s: mark the rubric level that passes."),
    "scorecard.description": _("Add a description of the micro-credential."),
    "scorecard.standalone_value": _(
        "Describe what the micro-credential is worth on its own, for example which tasks or jobs it prepares for."
    ),
    "scorecard.target_group": _("Describe who the micro-credential is for."),
    "scorecard.credits": _("Add the credit points and their unit (ECTS, högskolepoäng or YH-poäng)."),
    "scorecard.credit_unit.invalid": _("Choose a credit unit: ECTS, högskolepoäng, YH-poäng or other."),
    "scorecard.stackability": _(
        "Say whether the micro-credential stands alone, is part of a larger qualification or can be stacked "
        "towards one."
    ),
    "scorecard.stackability.invalid": _("Choose standalone, integrated or stackable."),
    "scorecard.counts_towards": _("Name the qualification the micro-credential counts towards."),
    "scorecard.transfer.eqf_level": _("Add the EQF level (1–8) so other systems can place it."),
    "scorecard.transfer.credits": _(
        "Give the credits in ECTS, högskolepoäng or YH-poäng so other providers can count them."
    ),
    "scorecard.transfer.esco": _("Link at least one learning outcome to an ESCO skill."),
    "scorecard.qa.internal": _("Describe the internal quality review (who reviews, and how often)."),
    "scorecard.qa.external": _("Describe the external quality review."),
    "scorecard.qa.body": _("Name the body responsible for the external quality review."),
    "scorecard.awarding_body.identity": _(
        "The organisation's profile needs a web address or an organisation number, so anyone can check who "
        "issued the credential. An owner can add it under Profile."
    ),
    "scorecard.note.signed_at_issue": _("Signed and given to the learner when it is issued."),
    "scorecard.note.added_when_issued": _("Added when it is issued."),
    "scorecard.title": _("Add a title."),
    "scorecard.issuer_country": _(
        "The organisation's profile needs a country, as a two-letter code such as SE. An owner can add it under "
        "Profile."
    ),
    "scorecard.awarding_body": _("Name the awarding body."),
    "scorecard.workload": _("Add the workload: credits where possible, or hours."),
    "scorecard.level": _("Add the EQF or SeQF level (1–8), or mark the level as not applicable."),
    "scorecard.assessment_type": _("Add the type of assessment, for example written exam or portfolio."),
    "scorecard.assessment_type.invalid": _("Unknown type of assessment: %(value)s."),
    "scorecard.participation_form": _("Choose the form of participation: online, on site or blended."),
    "scorecard.qa_type": _("Add the type of quality assurance, for example internal review or accreditation."),
    "scorecard.qa_type.invalid": _("Unknown type of quality assurance: %(value)s."),
}

# Message key -> the designer's form field that fixes it, so "what to add" can link straight there.
FIELDS: dict[str, str] = {
    "scorecard.description": "description",
    "scorecard.standalone_value": "standalone_value",
    "scorecard.target_group": "target_group",
    "scorecard.credits": "credit_points",
    "scorecard.credit_unit.invalid": "credit_unit",
    "scorecard.stackability": "stackability",
    "scorecard.stackability.invalid": "stackability",
    "scorecard.counts_towards": "counts_towards",
    "scorecard.transfer.eqf_level": "eqf_level",
    "scorecard.transfer.credits": "credit_unit",
    "scorecard.qa.internal": "qa_internal_process",
    "scorecard.qa.external": "qa_external_process",
    "scorecard.qa.body": "qa_responsible_body",
    "scorecard.title": "name",
    "scorecard.workload": "workload_hours",
    "scorecard.level": "eqf_level",
    "scorecard.assessment_type": "assessment_types",
    "scorecard.assessment_type.invalid": "assessment_types",
    "scorecard.participation_form": "participation_form",
    "scorecard.qa_type": "qa_types",
    "scorecard.qa_type.invalid": "qa_types",
}


# Radio buttons and checkboxes have no element with the field's own id; the first choice takes the focus.
_CHOICE_GROUPS = {"assessment_types", "qa_types", "participation_form", "stackability"}


def _anchor(field: str | None) -> str | None:
    if field is None:
        return None
    return f"id_{field}_0" if field in _CHOICE_GROUPS else f"id_{field}"


def message_text(message: Message) -> str:
    template = MESSAGES.get(message.key)
    if template is None:
        return message.text
    return str(template) % dict(message.params) if message.params else str(template)


@dataclass(frozen=True)
class TodoItem:
    text: str
    anchor: str | None  # the id of the designer form field that fixes it, if one does
    about_outcomes: bool


@dataclass(frozen=True)
class CriterionView:
    key: str
    name: str
    meaning: str
    met: bool
    todo: tuple[TodoItem, ...]
    note: str | None


@dataclass(frozen=True)
class ScorecardView:
    principles: tuple[CriterionView, ...]
    eu_elements: tuple[CriterionView, ...]
    publishable: bool
    missing_count: int


def _criterion_view(criterion: Criterion) -> CriterionView:
    name, meaning = CRITERIA.get(criterion.key, (criterion.key, ""))
    return CriterionView(
        key=criterion.key,
        name=str(name),
        meaning=str(meaning),
        met=criterion.met,
        todo=tuple(
            TodoItem(
                text=message_text(message),
                anchor=_anchor(FIELDS.get(message.key)),
                about_outcomes=message.key.startswith(("scorecard.outcome", "scorecard.transfer.esco")),
            )
            for message in criterion.missing
        ),
        note=message_text(criterion.note) if criterion.note else None,
    )


def scorecard_view(card: Scorecard) -> ScorecardView:
    """The scorecard in the visitor's language, ready for templates."""
    return ScorecardView(
        principles=tuple(_criterion_view(c) for c in card.principles),
        eu_elements=tuple(_criterion_view(c) for c in card.eu_elements),
        publishable=card.publishable,
        missing_count=sum(not c.met for c in card.criteria),
    )
