"""Helpers the tests of every app share (imported by tests only)."""

import pytest

from fupin.core.errors import FupinError


def code_of(call, /, *args, **kwargs) -> str:
    """Call ``call(*args, **kwargs)``, which must refuse, and return the refusal's code."""
    with pytest.raises(FupinError) as refused:
        call(*args, **kwargs)
    return refused.value.code
