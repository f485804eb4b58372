"""Set-ups that one pytest-xdist worker owns: a guard that grouping still works."""

import os

import pytest


def claim_for_one_worker(tmp_path_factory, name):
    """Fail when a second pytest-xdist worker of this run starts what one `xdist_group` owns.

    The throwaway PostgreSQL cluster, collectstatic and the seeded demo are set up once because
    their tests share an `xdist_group` (`make pytest` runs `--dist loadgroup`). If grouping
    silently stops working (it did with pytest 9.2, pytest-dev/pytest-xdist#1386), each worker
    would set them up again and the suite would just get slower; this makes it fail instead.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker is None:
        return  # one process: nothing to share
    claim = tmp_path_factory.getbasetemp().parent / f"group-{name}"
    try:
        with open(claim, "x") as file:
            file.write(worker)
    except FileExistsError:
        owner = claim.read_text()
        if owner != worker:
            pytest.fail(
                f"xdist_group {name!r} runs on {owner} and {worker}: "
                "pytest-xdist's loadgroup is not grouping (see pyproject.toml's pytest pin)"
            )
