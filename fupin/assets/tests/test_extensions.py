"""Assets fill the projects app's extension point: what each project's assets earned, which the
look-back review weighs."""

from fupin.assets.selectors import project_returns
from fupin.core import spine
from fupin.projects.services import RETURNS


def test_the_review_reads_the_returns_of_projects_from_assets():
    assert spine.extensions(RETURNS) == [project_returns]
