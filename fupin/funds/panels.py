"""Funds' section of the household file: the household's microcredit loans."""

from django.utils import timezone

from fupin.funds.selectors import VIEW_LOAN, loan_list, overdue_q


def household_panel(request, household) -> dict:
    """Show the household's loans with what is outstanding and whether each is overdue."""
    user = request.user
    if not user.has_perm(VIEW_LOAN, household):
        return {"visible": False, "loans": []}
    today = timezone.localdate()
    loans = list(loan_list(user=user, region_code=household.village_id).filter(household=household))
    overdue = set(
        loan_list(user=user, region_code=household.village_id)
        .filter(overdue_q(region_code=household.village_id, on=today), household=household)
        .values_list("pk", flat=True)
    )
    for loan in loans:
        loan.is_overdue = loan.pk in overdue
    return {"visible": True, "loans": loans}
