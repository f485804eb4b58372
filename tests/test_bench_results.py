"""`make bench` rewrites only its own part of docs/benchmarks.md: other sections survive."""

from devtools.bench import results as bench
from devtools.bench.results import END, START


def test_the_results_go_between_the_markers_and_other_sections_stay(tmp_path, monkeypatch):
    results = tmp_path / "docs" / "benchmarks.md"
    monkeypatch.setattr(bench, "RESULTS", results)
    bench.write_results("## Results of `make bench`\n\nfirst run")
    results.write_text(results.read_text() + "\n## Reports\n\nWritten by hand.\n")

    bench.write_results("## Results of `make bench`\n\nsecond run")

    text = results.read_text()
    assert "second run" in text
    assert "first run" not in text
    assert text.count(START) == text.count(END) == 1
    assert text.endswith("## Reports\n\nWritten by hand.\n")
    assert text.startswith("# Benchmarks\n")


def test_a_file_without_markers_keeps_its_text_and_gets_them_appended(tmp_path, monkeypatch):
    results = tmp_path / "benchmarks.md"
    results.write_text("# Benchmarks\n\n## Reports\n\nPDF timings.\n")
    monkeypatch.setattr(bench, "RESULTS", results)

    bench.write_results("measured")

    assert results.read_text() == (
        f"# Benchmarks\n\n## Reports\n\nPDF timings.\n\n{START}\nmeasured\n{END}\n"
    )
