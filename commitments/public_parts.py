"""What other apps add to a promise's public pages, without this app knowing them.

`followups` imports `commitments`, never the reverse; yet a promise's page shows its
follow-ups and each commitment's latest assessment. So the public views ask here: an app
registers its part of the "promise" or "commitment" page, in its AppConfig.ready(), with
`page_context(page)`: a function of (promise, the page's context) that adds to the context;
for the "home" page, of (the listed promises, the page's context).
"""

_CONTEXT = {"promise": [], "commitment": [], "district": [], "home": []}


def page_context(page):
    """Register a function adding to the context of a promise's `page`."""

    def register(function):
        _CONTEXT[page].append(function)
        return function

    return register


def add_context(page, promise, context):
    for function in _CONTEXT[page]:
        function(promise, context)
    return context
