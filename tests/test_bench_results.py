"""`make bench` rewrites only its own part of docs/benchmarks.md: other sections survive."""

from bench import run


def test_the_results_go_between_the_markers_and_other_sections_stay(tmp_path, monkeypatch):
    results = tmp_path / "docs" / "benchmarks.md"
    monkeypatch.setattr(run, "RESULTS", results)
    run.write_results("## Results of `make bench`\n\nfirst run")
    results.write_text(results.read_text() + "\n## Reports\n\nWritten by hand.\n")

    run.write_results("## Results of `make bench`\n\nsecond run")

    text = results.read_text()
    assert "second run" in text
    assert "first run" not in text
    assert text.count(run.START) == text.count(run.END) == 1
    assert text.endswith("## Reports\n\nWritten by hand.\n")
    assert text.startswith("# Benchmarks\n")


def test_a_file_without_markers_keeps_its_text_and_gets_them_appended(tmp_path, monkeypatch):
    results = tmp_path / "benchmarks.md"
    results.write_text("# Benchmarks\n\n## Reports\n\nPDF timings.\n")
    monkeypatch.setattr(run, "RESULTS", results)

    run.write_results("measured")

    assert results.read_text() == (
        f"# Benchmarks\n\n## Reports\n\nPDF timings.\n\n{run.START}\nmeasured\n{run.END}\n"
    )
