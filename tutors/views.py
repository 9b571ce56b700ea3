"""Pages: the tutor's caseload, overdue reviews, an enrolment's reviews, scheduling, recording, signing, PDF."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from core.errors import DomainError
from core.exports import attachment
from core.signatures import views as sign_page
from core.signatures.forms import SignForm
from core.views import add_domain_error, paginate
from programmes import access
from programmes.models import KSB, Enrolment
from tutors import cadence, selectors, services
from tutors.forms import ACTION_ROWS, AddendumForm, DeclineForm, ReviewForm, ScheduleForm
from tutors.models import ProgressReview, ReviewAddendum
from tutors.pdf import ProgressReviewPDF
from tutors.signing import ROLE_LABELS, ReviewDocument


def _visible_review(request, pk: int) -> ProgressReview:
    return selectors.review_detail(request.user, pk)


def _tutored_enrolment(request, pk: int) -> Enrolment:
    enrolment = access.enrolment_for(request.user, pk)
    if not access.can_record_review(request.user, enrolment):
        raise PermissionDenied("Only the apprentice's practice tutor schedules and records their reviews.")
    return enrolment


@login_required
def caseload(request):
    if not Enrolment.objects.filter(practice_tutor=request.user).exists():
        raise PermissionDenied("The caseload is for practice tutors.")
    filters = {key: request.GET.get(key, "") for key in ("cohort", "state", "q", "sort")}
    if not filters["cohort"].isdigit():
        filters["cohort"] = ""
    if filters["state"] not in cadence.STATE_LABELS:
        filters["state"] = ""
    if filters["sort"].lstrip("-") not in selectors.SORTS:
        filters["sort"] = "due"
    rows = selectors.caseload_for(
        request.user,
        cohort=filters["cohort"],
        q=filters["q"].strip(),
        sort=filters["sort"],
        state=filters["state"],
    )
    cohorts = (
        access.cohorts_visible_to(request.user)
        .filter(enrolments__practice_tutor=request.user)
        .select_related("programme")
        .distinct()
    )
    return render(
        request,
        "tutors/caseload.html",
        {
            **paginate(request, rows, per_page=50),
            "filters": filters,
            "cohorts": cohorts,
            "states": cadence.STATE_LABELS,
            "sorts": selectors.SORT_LABELS,
            "today": timezone.localdate(),
        },
    )


@login_required
def reviews_overdue(request):
    if not access.can_see_overdue_reviews(request.user):
        raise PermissionDenied("Only programme directors see overdue reviews across programmes.")
    programmes = access.directed_programmes(request.user)
    programme = request.GET.get("programme", "")
    programme = programme if programme.isdigit() else ""
    rows = selectors.overdue_reviews(request.user, programme=programme)
    return render(
        request,
        "tutors/reviews_overdue.html",
        {**paginate(request, rows, per_page=50), "programmes": programmes, "programme": programme},
    )


@login_required
def enrolment_reviews(request, pk: int):
    enrolment = access.enrolment_for(request.user, pk)
    last, due = selectors.review_due(enrolment)
    today = timezone.localdate()
    can_record = access.can_record_review(request.user, enrolment)
    return render(
        request,
        "tutors/enrolment_reviews.html",
        {
            "enrolment": enrolment,
            **paginate(request, selectors.reviews_for(enrolment, request.user), per_page=20),
            "last_review_on": last,
            "due": due,
            "state": due.state(today),
            "state_label": cadence.STATE_LABELS[due.state(today)],
            "can_record": can_record,
            "open_review": services.open_review(enrolment),
        },
    )


@login_required
def review_schedule(request, pk: int):
    enrolment = _tutored_enrolment(request, pk)
    current = services.open_review(enrolment)
    initial = {"duration_minutes": 60}
    if current is not None and current.scheduled_for:
        initial |= {
            "scheduled_for": timezone.localtime(current.scheduled_for).strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": current.duration_minutes,
            "location": current.location,
            "video_link": current.video_link,
        }
    form = ScheduleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            review = services.review_schedule(enrolment=enrolment, by=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            when = timezone.localtime(review.scheduled_for)
            messages.success(
                request,
                f"Review {review.number} is scheduled for {when:%-d %B %Y at %H:%M}. The apprentice and line "
                "manager have been emailed a calendar invitation.",
            )
            return redirect("enrolment_reviews", pk=enrolment.pk)
    return render(
        request,
        "tutors/review_schedule.html",
        {"enrolment": enrolment, "form": form, "current": current},
        status=400 if form.errors else 200,
    )


@login_required
def review_record(request, pk: int):
    enrolment = _tutored_enrolment(request, pk)
    review = services.open_review(enrolment)
    if review is not None and review.status != ProgressReview.Status.DRAFT:
        return render(
            request, "tutors/review_record.html", {"enrolment": enrolment, "review": review, "locked": True}
        )
    ksbs = KSB.objects.filter(standard_id=enrolment.programme.standard_id).order_by("order", "code")
    draft = selectors.review_draft_state(enrolment, review)
    initial, previous, written = draft.initial, draft.previous_actions, draft.written_actions
    form = ReviewForm(
        request.POST or None,
        initial=initial,
        ksbs=ksbs,
        previous_actions=previous,
        action_rows=len(written) + ACTION_ROWS,
    )
    if request.method == "POST" and form.is_valid():
        submit = request.POST.get("intent") == "submit"
        try:
            review = services.review_save_draft(enrolment=enrolment, by=request.user, values=form.values())
            if submit:
                review = services.review_submit(review=review, by=request.user)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            if submit:
                messages.success(
                    request,
                    f"Review {review.number} is submitted. Sign it, and the apprentice and line manager have been "
                    "asked to sign too.",
                )
                return redirect("review_detail", pk=review.pk)
            messages.success(request, "Draft saved.")
            return redirect("review_record", pk=enrolment.pk)
    otj = selectors.otj_snapshot(enrolment)
    return render(
        request,
        "tutors/review_record.html",
        {"enrolment": enrolment, "review": review, "form": form, "otj": otj},
        status=400 if form.errors else 200,
    )


def _sign_form(
    request, review: ProgressReview, addendum: ReviewAddendum | None, data=None
) -> SignForm | None:
    return sign_page.sign_form(request, ReviewDocument(review, addendum), ROLE_LABELS, data)


def _review_context(request, review: ProgressReview) -> dict:
    enrolment = review.enrolment
    addendum = next((a for a in review.addenda.all() if a.status == ReviewAddendum.Status.AWAITING), None)
    content = review.content
    if content is None and access.can_record_review(request.user, enrolment):
        from tutors.pdf import draft_content

        content = draft_content(review)
    current = [
        s for s in review.signatures.all() if s.addendum_id is None and s.content_hash == review.content_hash
    ]
    signing_roles = access.review_signing_roles(request.user, enrolment)
    return {
        "review": review,
        "enrolment": enrolment,
        "content": content,
        "signatures": current,
        "addendum_signatures": [s for s in review.signatures.all() if s.addendum_id],
        "pending_addendum": addendum,
        "outstanding": services.describe_outstanding(review, addendum if review.is_complete else None),
        "can_record": access.can_record_review(request.user, enrolment),
        "can_see_safeguarding": access.can_see_safeguarding(request.user, enrolment),
        "can_decline": review.status == ProgressReview.Status.AWAITING
        and any(r != "provider" for r in signing_roles)
        and bool(set(signing_roles) & set(services.outstanding_roles(review))),
        "problems": services.integrity_problems(review),
        "sign_form": _sign_form(request, review, addendum if review.is_complete else None),
        "sign_button": f"Sign addendum {addendum.number}" if addendum else f"Sign review {review.number}",
        "sign_intro": "By signing you confirm this is a true record of the review"
        + (" as corrected by the addendum." if addendum else ".")
        + " If something is wrong, decline with a comment instead.",
        "owner_labels": dict(services.ReviewAction.Owner.choices),
        "rating_labels": dict(services.ReviewKSBRating.Rating.choices),
    }


@login_required
def review_detail(request, pk: int):
    review = _visible_review(request, pk)
    return render(request, "tutors/review_detail.html", _review_context(request, review))


@login_required
def review_sign(request, pk: int):
    review = _visible_review(request, pk)
    if not access.review_signing_roles(request.user, review.enrolment):
        raise PermissionDenied(
            "Only the apprentice, their line manager and their practice tutor sign reviews."
        )
    addendum = services.pending_addendum(review) if review.is_complete else None
    form = _sign_form(request, review, addendum, request.POST if request.method == "POST" else None)
    if form is None:
        messages.info(request, "There is nothing for you to sign on this review.")
        return redirect("review_detail", pk=review.pk)
    status = 200
    if request.method == "POST":
        signature, status = sign_page.post_signature(
            request,
            form,
            lambda proof, origin: services.review_sign(
                review=review,
                by=request.user,
                addendum=addendum,
                proof=proof,
                ip_address=origin.ip_address,
                user_agent=origin.user_agent,
            ),
        )
        if signature is not None:
            review.refresh_from_db()
            outstanding = services.describe_outstanding(review, addendum)
            if outstanding:
                messages.success(
                    request,
                    f"You signed as the {signature.get_role_display().lower()}. Still to sign: {outstanding}.",
                )
            else:
                messages.success(request, "You signed. All three have now signed: the record is complete.")
            return redirect("review_detail", pk=review.pk)
        review = _visible_review(request, pk)
    context = _review_context(request, review) | {"sign_form": form}
    return render(request, "tutors/review_detail.html", context, status=status)


@login_required
def review_decline(request, pk: int):
    review = _visible_review(request, pk)
    if not [r for r in access.review_signing_roles(request.user, review.enrolment) if r != "provider"]:
        raise PermissionDenied("Only the apprentice and their line manager can decline to sign a review.")
    if review.status != ProgressReview.Status.AWAITING:
        messages.info(request, "Only a review awaiting signatures can be declined.")
        return redirect("review_detail", pk=review.pk)
    form = DeclineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_decline(review=review, by=request.user, comment=form.cleaned_data["comment"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request, "You declined to sign. The practice tutor has your comment and will correct it."
            )
            return (
                redirect("review_detail", pk=review.pk)
                if _still_visible(request, review)
                else redirect("home")
            )
    return render(
        request,
        "tutors/review_decline.html",
        {"review": review, "enrolment": review.enrolment, "form": form},
        status=400 if form.errors else 200,
    )


def _still_visible(request, review: ProgressReview) -> bool:
    return selectors.reviews_visible_to(request.user).filter(pk=review.pk).exists()


@login_required
def review_addendum(request, pk: int):
    review = _visible_review(request, pk)
    if not access.can_record_review(request.user, review.enrolment):
        raise PermissionDenied("Only the practice tutor corrects a review.")
    if review.status != ProgressReview.Status.SIGNED:
        messages.info(request, "Only a signed review takes an addendum; a draft can still be edited.")
        return redirect("review_detail", pk=review.pk)
    form = AddendumForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            addendum = services.review_add_addendum(
                review=review, by=request.user, text=form.cleaned_data["text"]
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                f"Addendum {addendum.number} added. Sign it; the apprentice and line manager have been asked to.",
            )
            return redirect("review_detail", pk=review.pk)
    return render(
        request,
        "tutors/review_addendum.html",
        {"review": review, "enrolment": review.enrolment, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def review_pdf(request, pk: int):
    review = _visible_review(request, pk)
    pdf = ProgressReviewPDF(
        review, include_safeguarding=access.can_see_safeguarding(request.user, review.enrolment)
    )
    filename, content_type, content = pdf.render()
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = attachment(filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
