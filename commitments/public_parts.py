"""What other apps add to a promise's public pages, without this app knowing them.

`followups` imports `commitments`, never the reverse; yet a promise's page shows its
follow-ups and each commitment's latest assessment. So the public views ask here: each app
registers what its part of a promise's pages is, in its AppConfig.ready():

- `page_context(page)`: a function of (promise, the page's context) that adds to the context
  of the "promise" or "commitment" page;
- `page_paths`: a function of a promise that lists some of its public pages' addresses, for
  the background renderer (commitments/rendering.py).
"""

_CONTEXT = {"promise": [], "commitment": []}
_PATHS = []


def page_context(page):
    """Register a function adding to the context of a promise's `page`."""

    def register(function):
        _CONTEXT[page].append(function)
        return function

    return register


def page_paths(function):
    """Register a function listing some of a promise's public pages."""
    _PATHS.append(function)
    return function


def add_context(page, promise, context):
    for function in _CONTEXT[page]:
        function(promise, context)
    return context


def paths_of(promise):
    """Every registered public page of a promise, without a language prefix."""
    return [path for function in _PATHS for path in function(promise)]


@page_paths
def _promise_pages(promise):
    return [
        promise.get_absolute_url(),
        *(commitment.get_absolute_url() for commitment in promise.commitments.all()),
        *(district.get_absolute_url() for district in promise.districts.all()),
    ]
