"""The maturity self-assessment: versioned questionnaires, rounds, responses and answers.

Longer than 300 lines on purpose: these models are one aggregate (a questionnaire's pillars,
questions and options; a round of it; a response's answers and pillar scores) whose keys and
constraints refer to each other, and an app keeps its models in one module, as Django's do.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from coopdx.validators import validate_visible_text

from .scoring import LEVELS, SchemeError, SchemeSpec


class Bilingual(models.Model):
    """Vietnamese and English text, shown in the user's language."""

    class Meta:
        abstract = True

    def localized(self, field: str) -> str:
        language = (translation.get_language() or "vi")[:2]
        value = getattr(self, f"{field}_{language}", "") if language in ("vi", "en") else ""
        return value or getattr(self, f"{field}_vi")


class ScoringScheme(Bilingual):
    """How scores become levels (pillar bounds, overall bounds, how many pillars a level needs)
    and the levels' names: data, documented in docs/scoring.md. A scheme in use (a published
    questionnaire version or a scored response names it) never changes: a change is a new scheme."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    source = models.TextField(_("source"), blank=True)
    pillar_bounds = models.JSONField(
        _("pillar level bounds"), help_text=_('Lower bounds of levels 1-5, e.g. ["10", "20", "40", "60", "80"].')
    )
    overall_bounds = models.JSONField(
        _("overall level bounds"), help_text=_("Lower bounds of levels 1-5 for the overall score.")
    )
    pillars_needed = models.JSONField(
        _("pillars needed"),
        help_text=_('Per level 1-5, the share of pillars at that level or above, e.g. "4/6", or "all".'),
    )
    level_names_vi = models.JSONField(_("level names (Vietnamese)"), help_text=_("Six names, levels 0-5."))
    level_names_en = models.JSONField(_("level names (English)"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    RULE_FIELDS = ("pillar_bounds", "overall_bounds", "pillars_needed", "level_names_vi", "level_names_en")

    class Meta:
        ordering = ["code"]
        verbose_name = _("scoring scheme")
        verbose_name_plural = _("scoring schemes")

    def __str__(self) -> str:
        return self.code

    @property
    def name(self) -> str:
        return self.localized("name")

    def spec(self) -> SchemeSpec:
        return SchemeSpec.parse(
            {
                "pillar_bounds": self.pillar_bounds,
                "overall_bounds": self.overall_bounds,
                "pillars_needed": self.pillars_needed,
            }
        )

    def level_name(self, level: int | None) -> str:
        if level is None or not 0 <= level <= LEVELS:
            return "—"
        names = (
            self.level_names_en if (translation.get_language() or "vi")[:2] == "en" and self.level_names_en else None
        )
        return str((names or self.level_names_vi)[level])

    @property
    def in_use(self) -> bool:
        return bool(self.pk) and (
            Questionnaire.objects.filter(scoring_scheme=self, published_at__isnull=False).exists()
            or Response.objects.filter(scoring_scheme=self).exists()
        )

    def clean(self) -> None:
        try:
            self.spec()
        except SchemeError as error:
            raise ValidationError(str(error)) from error
        for field, required in (("level_names_vi", True), ("level_names_en", False)):
            names = getattr(self, field)
            if not names and not required:
                continue
            if (
                not isinstance(names, list)
                or len(names) != LEVELS + 1
                or not all(isinstance(n, str) and n.strip() for n in names)
            ):
                raise ValidationError({field: _("Give six names, for levels 0 to 5.")})
        if self.in_use:
            stored = ScoringScheme.objects.values(*self.RULE_FIELDS).get(pk=self.pk)
            if any(stored[field] != getattr(self, field) for field in self.RULE_FIELDS):
                raise ValidationError(
                    _("This scheme has scored responses or is part of a published questionnaire: create a new scheme.")
                )


class Questionnaire(Bilingual):
    """One version of a questionnaire. Once published it never changes; edits make a new version."""

    code = models.CharField(_("code"), max_length=32)
    version = models.PositiveIntegerField(_("version"))
    title_vi = models.CharField(_("title (Vietnamese)"), max_length=255)
    title_en = models.CharField(_("title (English)"), max_length=255, blank=True)
    source = models.TextField(_("source"), blank=True)
    # How its responses are scored; a round re-scored under another scheme says so itself.
    scoring_scheme = models.ForeignKey(
        ScoringScheme, verbose_name=_("scoring scheme"), on_delete=models.PROTECT, related_name="questionnaires"
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="questionnaire_code_version")]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"

    @property
    def title(self) -> str:
        return self.localized("title")

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class QuestionnairePart(Bilingual):
    """Pillars, questions and options: frozen with their questionnaire once it is published."""

    class Meta:
        abstract = True

    def owning_questionnaire(self) -> Questionnaire:
        raise NotImplementedError

    def clean(self) -> None:
        questionnaire = self.owning_questionnaire()
        if questionnaire.is_published:
            raise ValidationError(_("A published questionnaire cannot change; create a new version."))


class Pillar(QuestionnairePart):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="pillars")
    code = models.CharField(_("code"), max_length=32)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, default=1)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position"]
        verbose_name = _("pillar")
        verbose_name_plural = _("pillars")
        constraints = [models.UniqueConstraint(fields=["questionnaire", "code"], name="pillar_code_unique")]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.localized("name")

    def owning_questionnaire(self) -> Questionnaire:
        return self.questionnaire


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    YES_NO = "yes_no", _("Yes / no")
    NUMBER = "number", _("Number")
    TEXT = "text", _("Short text")


CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.YES_NO)


class Question(QuestionnairePart):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    pillar = models.ForeignKey(Pillar, on_delete=models.CASCADE, related_name="questions")
    code = models.CharField(_("code"), max_length=48)
    kind = models.CharField(_("kind"), max_length=16, choices=QuestionKind.choices)
    text_vi = models.TextField(_("question (Vietnamese)"))
    text_en = models.TextField(_("question (English)"), blank=True)
    help_vi = models.TextField(_("help (Vietnamese)"), blank=True)
    help_en = models.TextField(_("help (English)"), blank=True)
    unit_vi = models.CharField(_("unit (Vietnamese)"), max_length=50, blank=True)
    unit_en = models.CharField(_("unit (English)"), max_length=50, blank=True)
    required = models.BooleanField(_("required"), default=True)
    scored = models.BooleanField(_("scored"), default=True)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, default=1)
    # Multiple choice: the options' scores add up, capped at this.
    max_score = models.PositiveSmallIntegerField(_("maximum score"), null=True, blank=True)
    # Number questions: [[minimum, score], ...] in increasing order, starting at [0, 0].
    bands = models.JSONField(_("score bands"), default=list, blank=True)
    # Number questions: the values an answer may take (a share is 0–100, a count a whole number).
    min_value = models.DecimalField(_("smallest answer"), max_digits=12, decimal_places=2, null=True, blank=True)
    max_value = models.DecimalField(_("largest answer"), max_digits=12, decimal_places=2, null=True, blank=True)
    integer_only = models.BooleanField(_("whole numbers only"), default=False)
    # Skip logic and constraints, in XLSForm's expression language (surveys.skip_logic).
    relevant = models.TextField(
        _("shown only when"),
        blank=True,
        help_text=_(
            "An XLSForm condition on earlier answers, e.g. not(selected(${ONLINE_CHANNELS}, 'none')). "
            "Empty: always shown."
        ),
    )
    constraint = models.TextField(
        _("answer allowed when"),
        blank=True,
        help_text=_(
            "An XLSForm condition the answer must meet; “.” is this answer, e.g. . = 0 or ${DIGITAL_SKILLS} != 'none'."
        ),
    )
    constraint_message_vi = models.CharField(_("message when not allowed (Vietnamese)"), max_length=255, blank=True)
    constraint_message_en = models.CharField(_("message when not allowed (English)"), max_length=255, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["pillar__position", "position"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [models.UniqueConstraint(fields=["questionnaire", "code"], name="question_code_unique")]

    def __str__(self) -> str:
        return f"{self.code}: {self.text_vi[:60]}"

    @property
    def text(self) -> str:
        return self.localized("text")

    @property
    def help(self) -> str:
        return self.localized("help")

    @property
    def unit(self) -> str:
        return self.localized("unit")

    def owning_questionnaire(self) -> Questionnaire:
        return self.questionnaire

    @property
    def constraint_message(self) -> str:
        return self.localized("constraint_message")

    def clean(self) -> None:
        super().clean()
        if self.min_value is not None and self.max_value is not None and self.min_value > self.max_value:
            raise ValidationError({"max_value": _("The largest answer cannot be below the smallest.")})
        if self.relevant.strip() or self.constraint.strip():
            from .skip_logic import question_expressions

            question_expressions(self)


class Option(QuestionnairePart):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    code = models.CharField(_("code"), max_length=48)
    label_vi = models.CharField(_("label (Vietnamese)"), max_length=255)
    label_en = models.CharField(_("label (English)"), max_length=255, blank=True)
    score = models.PositiveSmallIntegerField(_("score"), default=0, validators=[MaxValueValidator(5)])
    exclusive = models.BooleanField(_("excludes the others"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position"]
        verbose_name = _("option")
        verbose_name_plural = _("options")
        constraints = [models.UniqueConstraint(fields=["question", "code"], name="option_code_unique")]

    def __str__(self) -> str:
        return f"{self.code}: {self.label_vi}"

    @property
    def label(self) -> str:
        return self.localized("label")

    def owning_questionnaire(self) -> Questionnaire:
        return self.question.questionnaire


class Advice(QuestionnairePart):
    """What a cooperative whose pillar is at ``level`` should do next."""

    pillar = models.ForeignKey(Pillar, on_delete=models.CASCADE, related_name="advice")
    level = models.PositiveSmallIntegerField(_("level"), validators=[MaxValueValidator(5)])
    text_vi = models.TextField(_("advice (Vietnamese)"))
    text_en = models.TextField(_("advice (English)"), blank=True)

    class Meta:
        ordering = ["pillar__position", "level"]
        verbose_name = _("advice")
        verbose_name_plural = _("advice")
        constraints = [models.UniqueConstraint(fields=["pillar", "level"], name="advice_pillar_level")]

    def __str__(self) -> str:
        return f"{self.pillar_id}:{self.level}"

    @property
    def text(self) -> str:
        return self.localized("text")

    def owning_questionnaire(self) -> Questionnaire:
        return self.pillar.questionnaire


class RuleSeverity(models.TextChoices):
    ERROR = "error", _("Error: blocks submission")
    WARNING = "warning", _("Warning: the cooperative confirms")


class ConsistencyRule(QuestionnairePart):
    """A rule between answers of one questionnaire version (``surveys.consistency``): when
    ``condition`` holds (always, if empty), ``constraint`` must hold too, both written as XLSForm
    expressions. Frozen with its version once published, like the questions it reads."""

    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("questionnaire"), on_delete=models.CASCADE, related_name="rules"
    )
    code = models.SlugField(_("code"), max_length=48)
    severity = models.CharField(_("severity"), max_length=8, choices=RuleSeverity.choices)
    condition = models.TextField(
        _("when"), blank=True, help_text=_("XLSForm expression, e.g. ${ONLINE_ORDERS} > 0. Empty: always.")
    )
    constraint = models.TextField(
        _("must hold"),
        help_text=_("XLSForm expression, e.g. not(selected(${ONLINE_CHANNELS}, 'none'))."),
    )
    message_vi = models.TextField(_("message (Vietnamese)"))
    message_en = models.TextField(_("message (English)"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("consistency rule")
        verbose_name_plural = _("consistency rules")
        constraints = [models.UniqueConstraint(fields=["questionnaire", "code"], name="rule_code_unique")]

    def __str__(self) -> str:
        return self.code

    @property
    def message(self) -> str:
        return self.localized("message")

    def owning_questionnaire(self) -> Questionnaire:
        return self.questionnaire

    def clean(self) -> None:
        super().clean()
        from .consistency import rule_expressions

        rule_expressions(self)


class IndicatorDefinition(Bilingual):
    """A national indicator as data: the share of counted responses choosing these options."""

    code = models.CharField(_("code"), max_length=48, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    description_vi = models.TextField(_("description (Vietnamese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    question_code = models.CharField(_("question code"), max_length=48)
    option_codes = models.JSONField(_("option codes"), default=list)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("indicator definition")
        verbose_name_plural = _("indicator definitions")

    def __str__(self) -> str:
        return self.code

    @property
    def name(self) -> str:
        return self.localized("name")


class IndicatorMapping(models.Model):
    """An indicator's question in one questionnaire version, when that version drops or changes
    the question the indicator names (``surveys.continuity``): the series goes on with these."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="indicator_mappings", verbose_name=_("questionnaire")
    )
    indicator = models.ForeignKey(
        IndicatorDefinition, on_delete=models.CASCADE, related_name="mappings", verbose_name=_("indicator")
    )
    question_code = models.CharField(_("question code"), max_length=48)
    option_codes = models.JSONField(_("option codes"), default=list)
    note = models.CharField(_("why"), max_length=255, blank=True)
    created_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("indicator mapping")
        verbose_name_plural = _("indicator mappings")
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "indicator"], name="indicator_mapping_once_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} → {self.question_code}"


class SurveyRound(Bilingual):
    """A round of self-assessment (e.g. "Khảo sát 2026"), national or for one province."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="rounds")
    province = models.ForeignKey(
        "cooperatives.Province",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Leave empty for a national round."),
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    # Set only by re-scoring the round (``surveys.rescoring``); empty: the questionnaire's scheme.
    scoring_scheme = models.ForeignKey(
        ScoringScheme,
        verbose_name=_("re-scored under"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        ordering = ["-opens_on"]
        verbose_name = _("survey round")
        verbose_name_plural = _("survey rounds")
        constraints = [
            models.CheckConstraint(name="round_window", condition=models.Q(closes_on__gte=models.F("opens_on"))),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.localized("name")

    def clean(self) -> None:
        if self.questionnaire_id and not self.questionnaire.is_published:
            raise ValidationError({"questionnaire": _("A round needs a published questionnaire.")})

    @property
    def scheme(self) -> ScoringScheme:
        """The scheme the round's responses are scored with now."""
        return self.scoring_scheme or self.questionnaire.scoring_scheme

    def is_open(self, on: object = None) -> bool:
        today = on or timezone.localdate()
        return self.opens_on <= today <= self.closes_on  # type: ignore[operator]


class ResponseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for correction")
    ACCEPTED = "accepted", _("Accepted")


class Response(models.Model):
    """A cooperative's self-assessment in one round (one per cooperative and round)."""

    round = models.ForeignKey(SurveyRound, verbose_name=_("round"), on_delete=models.PROTECT, related_name="responses")
    cooperative = models.ForeignKey(
        "cooperatives.Cooperative", verbose_name=_("cooperative"), on_delete=models.PROTECT, related_name="responses"
    )
    status = models.CharField(_("status"), max_length=16, choices=ResponseStatus.choices, default=ResponseStatus.DRAFT)
    entered_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    is_proxy = models.BooleanField(_("entered by an officer"), default=False)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    level = models.PositiveSmallIntegerField(
        _("maturity level"), null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(5)]
    )
    # The scheme the score and level were computed with (empty until scored); kept when the
    # questionnaire's or the round's scheme changes, until the round is re-scored.
    scoring_scheme = models.ForeignKey(
        ScoringScheme,
        verbose_name=_("scoring scheme"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responses",
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    review_comment = models.TextField(_("review comment"), blank=True)
    # The codes of the consistency rules' warnings the submitter confirmed (``surveys.consistency``).
    confirmed_warnings = models.JSONField(_("warnings confirmed"), default=list, blank=True)
    # A digest of the submitted answers (``flags.answers_signature``), so that a form copied from
    # another cooperative's is found by one indexed query; empty while a draft.
    answers_signature = models.CharField(_("answers signature"), max_length=64, blank=True, editable=False)
    # Optimistic lock: two tabs editing one response cannot silently overwrite each other.
    revision = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [models.UniqueConstraint(fields=["round", "cooperative"], name="response_round_cooperative")]
        indexes = [
            models.Index(fields=["round", "status"], name="response_round_status"),
            models.Index(fields=["round", "answers_signature"], name="response_round_signature"),
        ]

    def __str__(self) -> str:
        return f"{self.cooperative_id} / {self.round_id}"

    @property
    def level_name(self) -> str:
        return self.name_of_level(self.level)

    def name_of_level(self, level: int | None) -> str:
        """A level's name in the scheme this response was scored with (the round's until then)."""
        return (self.scoring_scheme or self.round.scheme).level_name(level)

    @property
    def is_editable(self) -> bool:
        return self.status in (ResponseStatus.DRAFT, ResponseStatus.RETURNED, ResponseStatus.SUBMITTED)

    @staticmethod
    def entered_by_user(user: object) -> Q:
        """The responses the user entered: saved last, submitted, started, or ever saved answers to
        (a history row of theirs that created it or left it a draft; a review leaves it returned or
        accepted, so returning a response is not entering it). Four eyes: such a response is
        accepted by someone else (the rule ``surveys.accept_response``, and the work lists)."""
        entries = Response.history.model.objects.filter(id=OuterRef("pk"), history_user=user).filter(
            Q(history_type="+") | Q(status=ResponseStatus.DRAFT)
        )
        return Q(entered_by=user) | Q(submitted_by=user) | Q(Exists(entries))

    def was_entered_by(self, user: object) -> bool:
        """:meth:`entered_by_user` asked of this response."""
        return Response.objects.filter(pk=self.pk).filter(Response.entered_by_user(user)).exists()


class Answer(models.Model):
    """The answer to one question: the chosen options, a number or a text."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    options = models.ManyToManyField(Option, related_name="+", blank=True)
    number = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    text = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="answer_response_question")]

    def __str__(self) -> str:
        return f"{self.response_id}:{self.question_id}"


class PillarScore(models.Model):
    """A scored response's result in one pillar, as rows so that averages are database aggregates."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="pillar_scores")
    pillar_code = models.CharField(max_length=32)
    score = models.DecimalField(max_digits=5, decimal_places=2)
    level = models.PositiveSmallIntegerField(validators=[MaxValueValidator(5)])

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "pillar_code"], name="pillar_score_unique")]

    def __str__(self) -> str:
        return f"{self.response_id}:{self.pillar_code}={self.score}"


class FlagKind(models.TextChoices):
    LEVEL_JUMP = "level_jump", _("Level moved by three or more")
    PILLAR_JUMP = "pillar_jump", _("A pillar went from 0 to 100")
    IDENTICAL_ANSWERS = "identical_answers", _("Every answer identical to another cooperative's")


class FlagStatus(models.TextChoices):
    OPEN = "open", _("To check")
    CONFIRMED = "confirmed", _("Confirmed by an officer")
    RETURNED = "returned", _("Cleared: the response was returned")
    REPLACED = "replaced", _("Cleared: the response was submitted again")


class ResponseFlag(models.Model):
    """A data check's doubt about a submitted response (``surveys.flags``), for the officer who
    reviews it: open until they confirm the figures, or until the response is returned or
    submitted again (a new submission is checked afresh)."""

    NOTE_MAX_LENGTH = 500

    response = models.ForeignKey(Response, verbose_name=_("response"), on_delete=models.CASCADE, related_name="flags")
    kind = models.CharField(_("kind"), max_length=32, choices=FlagKind.choices)
    # What the check found, as data (levels, pillar codes, the other cooperative's code), so that
    # the page words it in the reader's language (``description``).
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    raised_at = models.DateTimeField(_("raised"))
    status = models.CharField(_("status"), max_length=16, choices=FlagStatus.choices, default=FlagStatus.OPEN)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("resolved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=NOTE_MAX_LENGTH, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["raised_at", "pk"]
        verbose_name = _("data check flag")
        verbose_name_plural = _("data check flags")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "kind"], condition=models.Q(status="open"), name="flag_one_open_per_kind"
            ),
        ]
        indexes = [models.Index(fields=["status", "response"], name="flag_status_response")]

    def __str__(self) -> str:
        return f"{self.response_id}:{self.kind}:{self.status}"

    @property
    def is_open(self) -> bool:
        return self.status == FlagStatus.OPEN

    @property
    def description(self) -> str:
        """What was found, in the reader's language."""
        detail = self.detail or {}
        if self.kind == FlagKind.LEVEL_JUMP:
            return _(
                "The maturity level went from %(previous)s (%(previous_name)s, %(round)s) to %(level)s (%(name)s)."
            ) % {
                "previous": detail.get("previous_level"),
                "previous_name": self.response.name_of_level(detail.get("previous_level")),
                "round": detail.get("previous_round", ""),
                "level": detail.get("level"),
                "name": self.response.name_of_level(detail.get("level")),
            }
        if self.kind == FlagKind.PILLAR_JUMP:
            language = "en" if (translation.get_language() or "vi")[:2] == "en" else "vi"
            return _("Pillar scores went from 0 in %(round)s to 100 now: %(pillars)s.") % {
                "round": detail.get("previous_round", ""),
                "pillars": ", ".join(p.get(language) or p.get("code", "") for p in detail.get("pillars", [])),
            }
        others = int(detail.get("others", 1))
        if others > 1:
            return _(
                "Every answer is the same as in the response of cooperative %(code)s and %(more)s others in this "
                "round: the form may have been copied."
            ) % {"code": detail.get("other_code", ""), "more": others - 1}
        return _(
            "Every answer is the same as in the response of cooperative %(code)s in this round: the form may "
            "have been copied."
        ) % {"code": detail.get("other_code", "")}


class EvidenceKind(models.TextChoices):
    """What in the registry backs (or contradicts) an answer."""

    MARKETPLACE_LISTING = "marketplace_listing", _("A listing on an e-commerce marketplace")
    PROVINCIAL_LISTING = "provincial_listing", _("A listing on the provincial trade platform")
    OCOP_PRODUCT = "ocop_product", _("An OCOP product")
    TRACEABILITY_RECORD = "traceability_record", _("QR traceability recorded in the registry")


class EvidenceDirection(models.TextChoices):
    CLAIMED = "claimed", _("Claimed in the answer, no evidence in the registry")
    DENIED = "denied", _("Evidence in the registry, the answer says none")


class EvidenceCheck(Bilingual):
    """A check of a self-report against the registry (``surveys.evidence``), as data like the
    indicators: a counted response that chose one of ``option_codes`` of ``question_code`` is a
    mismatch when the registry holds no evidence of ``kind`` (direction "claimed") or when it
    holds some (direction "denied"). A check applies to the questionnaire versions that have
    its question, and to no other."""

    code = models.CharField(_("code"), max_length=48, unique=True)
    question_code = models.CharField(_("question code"), max_length=48)
    option_codes = models.JSONField(_("option codes"), default=list)
    kind = models.CharField(_("evidence"), max_length=32, choices=EvidenceKind.choices)
    direction = models.CharField(_("direction"), max_length=16, choices=EvidenceDirection.choices)
    message_vi = models.CharField(_("message (Vietnamese)"), max_length=255)
    message_en = models.CharField(_("message (English)"), max_length=255, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("evidence check")
        verbose_name_plural = _("evidence checks")

    def __str__(self) -> str:
        return self.code

    @property
    def message(self) -> str:
        return self.localized("message")

    def clean(self) -> None:
        codes = self.option_codes
        if not isinstance(codes, list) or not codes or not all(isinstance(c, str | int) for c in codes):
            raise ValidationError({"option_codes": _('List the option codes, for example ["marketplace"].')})


class RoundRescoring(models.Model):
    """The log of a round re-scored under another scheme (``surveys.rescoring.round_rescore``).
    The snapshots already written keep the figures of the old scheme."""

    round = models.ForeignKey(SurveyRound, verbose_name=_("round"), on_delete=models.PROTECT, related_name="rescorings")
    from_scheme = models.ForeignKey(
        ScoringScheme, verbose_name=_("from scheme"), on_delete=models.PROTECT, related_name="+"
    )
    to_scheme = models.ForeignKey(
        ScoringScheme, verbose_name=_("to scheme"), on_delete=models.PROTECT, related_name="+"
    )
    by = models.ForeignKey(
        "accounts.User", verbose_name=_("by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    reason = models.TextField(_("reason"))
    responses = models.PositiveIntegerField(_("responses re-scored"), default=0)
    levels_changed = models.PositiveIntegerField(_("levels changed"), default=0)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("round re-scoring")
        verbose_name_plural = _("round re-scorings")

    def __str__(self) -> str:
        return f"{self.round_id}: {self.from_scheme_id} → {self.to_scheme_id}"


class AddOnKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    YES_NO = "yes_no", _("Yes / no")
    INTEGER = "integer", _("Whole number")
    DECIMAL = "decimal", _("Number with decimals")
    TEXT = "text", _("Short text")


# The kinds answered by a number: the national "number", an add-on's whole or decimal number.
NUMBER_KINDS = (QuestionKind.NUMBER, AddOnKind.INTEGER, AddOnKind.DECIMAL)

ADDON_CODE = RegexValidator(
    r"^[A-Za-z][A-Za-z0-9_]{0,47}$",
    _("Start with a letter; use only letters without accents, digits and “_”."),
)


class AddOnQuestion(Bilingual):
    """A provincial round's own question, asked after the national questionnaire
    (``surveys.addons``). Kept apart from ``Question`` on purpose: the scoring, the aggregation,
    the version diff and the XLSForm read only the national questionnaire, so an add-on can never
    count in the national index (docs/scoring.md)."""

    round = models.ForeignKey(
        SurveyRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="addon_questions"
    )
    code = models.CharField(_("code"), max_length=48, validators=[ADDON_CODE])
    kind = models.CharField(_("kind"), max_length=16, choices=AddOnKind.choices)
    text_vi = models.TextField(_("question (Vietnamese)"), validators=[validate_visible_text])
    text_en = models.TextField(_("question (English)"), blank=True, validators=[validate_visible_text])
    required = models.BooleanField(_("required"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    # What the answer reader (``surveys.answers``) asks of a question: add-on numbers are zero or
    # more, whole for the integer kind.
    min_value = None
    max_value = None
    unit = unit_vi = ""  # the review pages and the paper form show a national number's unit

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("provincial add-on question")
        verbose_name_plural = _("provincial add-on questions")
        constraints = [models.UniqueConstraint(fields=["round", "code"], name="addon_question_code_unique")]

    def __str__(self) -> str:
        return f"{self.code}: {self.text_vi[:60]}"

    @property
    def text(self) -> str:
        return self.localized("text")

    @property
    def integer_only(self) -> bool:
        return self.kind == AddOnKind.INTEGER

    @property
    def is_number(self) -> bool:
        return self.kind in (AddOnKind.INTEGER, AddOnKind.DECIMAL)

    @property
    def is_choice(self) -> bool:
        return self.kind in (AddOnKind.SINGLE, AddOnKind.MULTIPLE, AddOnKind.YES_NO)

    def clean(self) -> None:
        if not self.round_id:
            return
        if self.round.province_id is None:
            raise ValidationError(_("A national round has no provincial add-on questions."))
        code = (self.code or "").strip()
        if Question.objects.filter(questionnaire_id=self.round.questionnaire_id, code__iexact=code).exists():
            raise ValidationError({"code": _("The national questionnaire already has a question with this code.")})
        if AddOnQuestion.objects.filter(round_id=self.round_id, code__iexact=code).exclude(pk=self.pk).exists():
            raise ValidationError({"code": _("This round already has an add-on question with this code.")})


class AddOnOption(Bilingual):
    question = models.ForeignKey(AddOnQuestion, on_delete=models.CASCADE, related_name="options")
    code = models.CharField(_("code"), max_length=48)
    label_vi = models.CharField(_("label (Vietnamese)"), max_length=255, validators=[validate_visible_text])
    label_en = models.CharField(_("label (English)"), max_length=255, blank=True, validators=[validate_visible_text])
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    exclusive = False  # no add-on option excludes the others (``surveys.answers`` reads it)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("add-on option")
        verbose_name_plural = _("add-on options")
        constraints = [models.UniqueConstraint(fields=["question", "code"], name="addon_option_code_unique")]

    def __str__(self) -> str:
        return f"{self.code}: {self.label_vi}"

    @property
    def label(self) -> str:
        return self.localized("label")


class AddOnAnswer(models.Model):
    """The answer to one add-on question: never read by the scoring or the aggregation."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="addon_answers")
    question = models.ForeignKey(AddOnQuestion, on_delete=models.CASCADE, related_name="answers")
    options = models.ManyToManyField(AddOnOption, related_name="+", blank=True)
    number = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    text = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="addon_answer_response_question")]

    def __str__(self) -> str:
        return f"{self.response_id}:{self.question_id}"
