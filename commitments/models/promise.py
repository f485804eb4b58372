"""Promises, their signatories, districts and commitments (organisations: organisation.py)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .. import permissions
from ..fields import PublicCharField, PublicSlugField, PublicTextField
from ..tertials import Cadence, final_tertial, reported_tertials
from ..validators import PUBLIC, check_text
from .continuity import continuing
from .organisation import Organisation
from .tenancy import PromiseScopedQuerySet


class PromiseQuerySet(PromiseScopedQuerySet):
    def public(self):
        """What a citizen may see: a promise once it is published."""
        return self.filter(is_published=True)

    def touch(self):
        """`Promise.touch` for many at once (the data generators): one UPDATE."""
        self.update(public_version=models.F("public_version") + 1, public_changed_at=timezone.now())

    def led_by(self, user):
        """Promises whose follow-ups the user reads: of the user's (signatory) organisation."""
        return self.filter(permissions.promise_leadership(user))

    def loggable_by(self, user):
        """Promises the user may log activities under."""
        if not (permissions.may_log(user) or permissions.is_superuser(user)):
            return self.none()
        return self.visible_to(user)


class Promise(models.Model):
    """A medborgarlöfte: a signed promise of a municipality and a local police area."""

    class Source(models.TextChoices):
        CITIZEN_DIALOGUE = "citizen_dialogue", _("citizen dialogue")
        STAFF_DIALOGUE = "staff_dialogue", _("police staff dialogue")
        SAFETY_SURVEY = "safety_survey", _("the police safety survey")
        LOCAL_KNOWLEDGE = "local_knowledge", _("local knowledge of municipality and police")

    municipality = models.ForeignKey(
        Organisation,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="municipal_promises",
        limit_choices_to={"kind": Organisation.Kind.MUNICIPALITY},
    )
    police_area = models.ForeignKey(
        Organisation,
        verbose_name=_("local police area"),
        on_delete=models.PROTECT,
        related_name="police_promises",
        limit_choices_to={"kind": Organisation.Kind.POLICE},
    )
    title = PublicCharField(_("title"), max_length=200)
    slug = PublicSlugField(_("slug"), max_length=100, unique=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    introduction = PublicTextField(_("introduction"), blank=True)
    problem_picture = PublicTextField(_("the situation today"))
    sources = models.JSONField(
        _("sources of the problem picture"),
        default=list,
        blank=True,
        help_text=_(
            "Codes from: citizen dialogue, staff dialogue, safety survey, local knowledge."
        ),
    )
    # The sources as the citizen can read them: [{"title": …, "url": …}], edited as a list of
    # titled links in the workspace (never as JSON), checked in clean().
    source_links = models.JSONField(_("sources as links"), default=list, blank=True)
    goal = PublicTextField(_("what we will achieve together"))
    easy_read = PublicTextField(
        _("easy-to-read summary"),
        blank=True,
        help_text=_(
            "Optional: the promise in easy Swedish (lättläst), shown on a page of its own. "
            "Write short sentences with one thought each, common words, and say who does "
            "what; explain any word a reader may not know. Say what was promised, where, and "
            "how to follow it."
        ),
    )
    follow_up_plan = PublicTextField(_("how to follow the work"))
    reporting_cadence = models.CharField(
        _("reporting"),
        max_length=10,
        choices=Cadence.choices,
        default=Cadence.TERTIAL,
        help_text=_("Which tertials get a follow-up. The last tertial always does."),
    )
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # When a text citizens had read was corrected after publication ("ändrad den …"); what it
    # said before is in the history.
    texts_changed_at = models.DateTimeField(_("texts changed at"), null=True, blank=True)
    previous = models.ForeignKey(
        "self",
        verbose_name=_("continues the promise"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="successors",
    )
    # What citizens see of the promise, versioned: every change of it calls touch(), and the
    # cached public pages and the figures are kept per version (commitments.cache).
    public_version = models.PositiveBigIntegerField(_("version of the public data"), default=1)
    public_changed_at = models.DateTimeField(
        _("public data changed at"), default=timezone.now, editable=False
    )

    history = HistoricalRecords(excluded_fields=["public_version", "public_changed_at"])
    objects = PromiseQuerySet.as_manager()
    promise_path = ""
    TEXTS = [
        "title",
        "introduction",
        "problem_picture",
        "goal",
        "follow_up_plan",
        "source_links",
        "easy_read",
    ]

    class Meta:
        verbose_name = _("promise")
        verbose_name_plural = _("promises")
        ordering = ["-start_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="promise_ends_after_it_starts",
                violation_error_message=_("The promise cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("public:promise", kwargs={"slug": self.slug})

    def clean(self):
        # The organisations' kinds are checked by limit_choices_to on the fields.
        self._check_source_links()
        unknown = set(self.sources or []) - set(self.Source.values)
        if unknown:
            raise ValidationError(
                {
                    "sources": ValidationError(
                        _("Unknown source: %(sources)s."),
                        code="unknown_source",
                        params={"sources": ", ".join(sorted(unknown))},
                    )
                }
            )

    def _check_source_links(self):
        links = self.source_links or []
        valid = isinstance(links, list) and all(
            isinstance(link, dict)
            and set(link) == {"title", "url"}
            and str(link["title"]).strip()
            and str(link["url"]).startswith(("https://", "http://"))
            for link in links
        )
        if not valid:
            raise ValidationError(
                {
                    "source_links": ValidationError(
                        _("Each source is a title and an address starting with https://."),
                        code="bad_source_link",
                    )
                }
            )
        for link in links:
            check_text(link["title"], checks=PUBLIC, label=_("source"))

    def source_labels(self):
        labels = dict(self.Source.choices)
        return [labels[code] for code in self.sources if code in labels]

    @property
    def final_tertial(self):
        """The tertial of the promise's final follow-up (commitments.tertials)."""
        return final_tertial(self.start_date, self.end_date)

    def reported_tertials(self):
        return reported_tertials(self.start_date, self.end_date, self.reporting_cadence)

    def contains(self, date):
        return self.start_date <= date <= self.end_date

    def get_easy_read_url(self):
        return reverse("public:easy_read", kwargs={"slug": self.slug})

    @property
    def status(self):
        return self.status_on(timezone.localdate())

    def status_on(self, day):
        """Whether the promise is upcoming, ongoing or ended on a day, for the front page."""
        if day < self.start_date:
            return _("upcoming")
        if day > self.end_date:
            return _("ended")
        return _("ongoing")

    def is_deletable(self):
        """Public records are kept (Swedish archive rules): only a never-published draft may go."""
        return not self.is_published and self.published_at is None

    def touch(self):
        """Say that what citizens see of this promise may have changed.

        Called by whatever changes it (an activity saved or deleted, an import, a follow-up
        published, the promise or its structure changed in the admin, the loader, the
        commands), never guessed: its public pages and figures are kept per version
        (commitments/cache.py), so this is what makes them be rendered again as they are read;
        no other promise's are touched. The promises continuing this one show its values as
        their earlier years, so they move on too.
        """
        bump = {
            "public_version": models.F("public_version") + 1,
            "public_changed_at": timezone.now(),
        }
        Promise.objects.filter(pk=self.pk).update(**bump)
        Promise.objects.filter(continuing(self)).update(**bump)
        self.refresh_from_db(fields=["public_version", "public_changed_at"])


class Signatory(models.Model):
    """Who signs a promise for one of its organisations."""

    promise = models.ForeignKey(
        Promise, verbose_name=_("promise"), on_delete=models.CASCADE, related_name="signatories"
    )
    name = PublicCharField(_("name"), max_length=200)
    role = PublicCharField(_("role"), max_length=200)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = PromiseScopedQuerySet.as_manager()
    promise_path = "promise"

    class Meta:
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")
        ordering = ["promise", "order"]

    def __str__(self):
        return f"{self.name}, {self.role}"


class District(models.Model):
    """A stadsdel or område that a promise names."""

    class Kind(models.TextChoices):
        PRIORITY = "priority", _("priority district")
        CITY_CENTRE = "city_centre", _("city centre")
        WHOLE_MUNICIPALITY = "whole_municipality", _("whole municipality")

    promise = models.ForeignKey(
        Promise, verbose_name=_("promise"), on_delete=models.CASCADE, related_name="districts"
    )
    name = PublicCharField(_("name"), max_length=200)
    slug = PublicSlugField(_("slug"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    boundary = models.JSONField(
        _("boundary"), null=True, blank=True, help_text=_("GeoJSON geometry (optional).")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = PromiseScopedQuerySet.as_manager()
    promise_path = "promise"

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["promise", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["promise", "slug"],
                name="district_slug_unique_per_promise",
                violation_error_message=_("The promise already has a district with this slug."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("public:district", kwargs={"slug": self.promise.slug, "district": self.slug})


class CommitmentQuerySet(PromiseScopedQuerySet):
    def loggable_by(self, user):
        """Commitments the user may log activities under: of the promises they take part in."""
        return self.filter(promise__in=Promise.objects.loggable_by(user))


class Commitment(models.Model):
    """An åtagande: one numbered commitment of a promise, its text verbatim."""

    promise = models.ForeignKey(
        Promise, verbose_name=_("promise"), on_delete=models.CASCADE, related_name="commitments"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = PublicCharField(_("short title"), max_length=200)
    text = PublicTextField(_("full text"))
    responsible_organisations = models.ManyToManyField(
        Organisation, verbose_name=_("responsible organisations"), related_name="commitments"
    )
    districts = models.ManyToManyField(
        District, verbose_name=_("districts"), related_name="commitments", blank=True
    )
    # When its title or text was corrected after the promise's publication.
    text_changed_at = models.DateTimeField(_("text changed at"), null=True, blank=True)

    history = HistoricalRecords()
    objects = CommitmentQuerySet.as_manager()
    promise_path = "promise"

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["promise", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["promise", "number"],
                name="commitment_number_unique_per_promise",
                violation_error_message=_("The promise already has a commitment with this number."),
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="commitment_number_positive",
                violation_error_message=_("Commitments are numbered from 1."),
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def get_absolute_url(self):
        return reverse(
            "public:commitment", kwargs={"slug": self.promise.slug, "number": self.number}
        )
