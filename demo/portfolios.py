"""Demo portfolios: evidence added through the portfolio services, as the apprentice and their tutor would have
added and reviewed it, then dated back to when it happened."""

from datetime import date, datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from demo.catalogue import (
    Status,
)
from demo.files import sample_pdf, sample_png
from demo.pieces import (
    ACCEPT_COMMENTS,
    ACCEPTED,
    DRAFT,
    NEEDS_WORK,
    NOT_SHOWN,
    PARTLY,
    REWORKED,
    Piece,
)
from portfolios import services as evidence_services
from portfolios.models import Evidence, EvidenceFile, EvidenceVersion, Feedback
from programmes.models import (
    KSB,
    Enrolment,
)


class PortfolioSeeder:
    """Mixed into the DemoLoader, which keeps the count of records created."""

    created: int

    # ---- portfolios ---------------------------------------------------------------------------------------

    def _seed_portfolio(self, enrolment: Enrolment, pieces, catalogue: dict[str, Piece]) -> None:
        """Evidence through the portfolio services, as the apprentice and their tutor would have added and
        reviewed it, then dated back to when it happened. Skipped once the enrolment has any evidence."""
        if enrolment.evidence.exists() or not enrolment.is_live:
            return
        enrolment = Enrolment.objects.select_related("apprentice", "practice_tutor", "employer").get(
            pk=enrolment.pk
        )
        ksbs = dict(KSB.objects.filter(standard_id=enrolment.programme.standard_id).values_list("code", "pk"))
        breaks = list(enrolment.breaks.all())
        gateway = (
            enrolment.status_changes.filter(to_status=Status.GATEWAY)
            .values_list("effective_on", flat=True)
            .first()
        )
        for number, (key, outcome, week) in enumerate(pieces):
            piece = catalogue[key]
            if not set(piece.ksbs) <= set(ksbs):  # the standard's KSBs were replaced by an official import
                continue
            when = piece.week if week is None else week
            occurred_on = self._activity_date(enrolment, breaks, gateway, when, number)
            self._seed_evidence(enrolment, piece, outcome, occurred_on, ksbs, number)

    @staticmethod
    def _activity_date(enrolment: Enrolment, breaks, gateway: date | None, week: int, number: int) -> date:
        """A day ``week`` weeks into the apprenticeship, outside any break, before gateway, not in the future."""
        on = enrolment.start_date + timedelta(weeks=week, days=number % 4)
        for pause in breaks:
            if pause.start_date <= on and (pause.end_date is None or on < pause.end_date):
                after = pause.end_date is not None
                on = pause.end_date + timedelta(days=7) if after else pause.start_date - timedelta(days=10)
        if gateway is not None and on >= gateway:
            on = gateway - timedelta(days=7)
        return min(on, timezone.localdate() - timedelta(days=3))

    def _files(self, enrolment: Enrolment, piece: Piece, occurred_on: date) -> list[SimpleUploadedFile]:
        files = []
        for name in piece.files:
            if name.endswith(".png"):
                files.append(SimpleUploadedFile(name, sample_png(), content_type="image/png"))
                continue
            lines = [
                f"{enrolment.apprentice.full_name}, {enrolment.apprentice.job_title}",
                enrolment.employer.name,
                f"{occurred_on.day} {occurred_on:%B %Y}",
                "",
                "Demo file: a stand-in for the real document in the Tripartite demo data.",
            ]
            files.append(
                SimpleUploadedFile(name, sample_pdf(piece.title, lines), content_type="application/pdf")
            )
        return files

    def _seed_evidence(
        self, enrolment, piece: Piece, outcome: str, occurred_on: date, ksbs, number: int
    ) -> None:
        apprentice, tutor = enrolment.apprentice, enrolment.practice_tutor
        fields = evidence_services.EvidenceFields(
            title=piece.title,
            kind=piece.kind,
            occurred_on=occurred_on,
            reflection=piece.reflection,
            ksb_ids=[ksbs[code] for code in piece.ksbs],
        )
        evidence = evidence_services.evidence_create(
            enrolment=enrolment,
            by=apprentice,
            fields=fields,
            files=self._files(enrolment, piece, occurred_on),
            submit=outcome != DRAFT,
        )
        self.created += 1
        if outcome in (REWORKED, NEEDS_WORK):
            evidence_services.evidence_feedback(
                evidence=evidence,
                by=tutor,
                decision=Feedback.Decision.NEEDS_WORK,
                comment=piece.rework,
                judgements=[
                    evidence_services.Judgement(ksbs[code], agreed=i < len(piece.ksbs) - 1)
                    for i, code in enumerate(piece.ksbs)
                ],
            )
        if outcome == REWORKED:
            fields.reflection = f"{piece.reflection}\n\n{piece.revision}"
            evidence_services.evidence_update(evidence=evidence, by=apprentice, fields=fields)
            evidence_services.evidence_submit(evidence=evidence, by=apprentice)
        if outcome in (ACCEPTED, REWORKED, PARTLY):
            last = ksbs[piece.ksbs[-1]]
            evidence_services.evidence_feedback(
                evidence=evidence,
                by=tutor,
                decision=Feedback.Decision.ACCEPTED,
                comment=ACCEPT_COMMENTS[number % len(ACCEPT_COMMENTS)],
                judgements=[evidence_services.Judgement(last, agreed=False, comment=NOT_SHOWN)]
                if outcome == PARTLY
                else [],
            )
        self._date_back(evidence.pk, occurred_on)

    def _date_back(self, evidence_id: int, occurred_on: date) -> None:
        """Give the evidence, its versions, files and feedback the times they would have had: added the day
        after the activity, submitted the next day, reviewed within a week, revised within a few days."""
        versions = list(EvidenceVersion.objects.filter(evidence_id=evidence_id).order_by("number"))
        feedback = {f.version_id: f for f in Feedback.objects.filter(version__evidence_id=evidence_id)}
        moments = []  # (object, attribute) in the order they happened
        for version in versions:
            moments.append((version, "created_at"))
            if version.submitted_at:
                moments.append((version, "submitted_at"))
            if version.pk in feedback:
                moments.append((feedback[version.pk], "created_at"))
        gaps = {"created_at": timedelta(days=3), "submitted_at": timedelta(days=1, hours=2)}
        at = timezone.make_aware(datetime.combine(occurred_on + timedelta(days=1), time(9, 30)))
        latest = timezone.now() - timedelta(hours=len(moments) + 1)
        for k, (obj, attribute) in enumerate(moments):
            if k:
                at += timedelta(days=5, hours=3) if isinstance(obj, Feedback) else gaps[attribute]
            setattr(obj, attribute, min(at, latest + timedelta(hours=k)))
        EvidenceVersion.objects.bulk_update(versions, ["created_at", "submitted_at"])
        Feedback.objects.bulk_update(feedback.values(), ["created_at"])
        created = {version.pk: version.created_at for version in versions}
        files = list(
            EvidenceFile.objects.filter(version__evidence_id=evidence_id).order_by("version__number")
        )
        uploaded: dict[str, datetime] = {}  # a file carried over to a later version keeps its upload time
        for stored in files:
            stored.uploaded_at = uploaded.setdefault(stored.sha256, created[stored.version_id])
        EvidenceFile.objects.bulk_update(files, ["uploaded_at"])
        current = versions[-1]
        accepted = feedback.get(current.pk)
        Evidence.objects.filter(pk=evidence_id).update(
            created_at=versions[0].created_at,
            submitted_at=current.submitted_at,
            accepted_at=accepted.created_at
            if accepted and accepted.decision == Feedback.Decision.ACCEPTED
            else None,
        )
