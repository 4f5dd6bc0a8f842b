"""What each role may do with department screening: departments send feeds; county and city
officers run screenings and read their results."""

from fupin.accounts.choices import Role

R = Role
RUN = {"screening.view_screeningrun", "screening.view_screeningflag", "screening.add_screeningrun"}

GRANTS: dict[str, set[str]] = {
    R.CITY_ADMIN: RUN,
    R.COUNTY_OFFICER: RUN,
    R.DEPARTMENT: {"screening.add_feedupload", "screening.view_feedupload"},
}
