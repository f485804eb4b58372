"""Browser tests (make e2e): journeys, accessibility, valid HTML, narrow screens."""
