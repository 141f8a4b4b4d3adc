"""The command line as a newcomer uses it on the bundled corpus."""
import json

from helpers import CORPUS, cli_json, run_cli

VARIANT_SPELLED = {  # articles that only ever write "الامم المتحده" (corpus/MANIFEST.md)
    "ar/pages/un-cybercrime-convention-vienna.txt",
    "ar/pages/nouakchott-un-envoy-sahel.txt",
    "madar-2024-0218-e-counting",
}


def test_stats_counts_the_corpus(corpus_index):
    data = cli_json("stats", "--index", corpus_index)
    assert data["articles"] >= 40
    assert set(data["languages"]) >= {"ar", "en", "fr", "ru"}
    assert sum(data["languages"].values()) == data["articles"]
    assert len(data["sources"]) >= 5


def test_stats_human_output(corpus_index):
    result = run_cli("stats", "--index", corpus_index)
    assert result.exit_code == 0
    assert "articles in" in result.output and "Levant Wire" in result.output


def test_search_finds_other_spellings_of_the_un(corpus_index):
    data = cli_json("search", "الأمم المتحدة", "--index", corpus_index, "--limit", "50")
    ids = {h["id"] for h in data["hits"]}
    assert VARIANT_SPELLED <= ids
    assert data["total"] == len(data["hits"]) >= 10


def test_search_variant_spelling_finds_the_standard_one(corpus_index):
    plain = cli_json("search", "الامم المتحده", "--index", corpus_index, "--limit", "50")
    standard = cli_json("search", "الأُمَمُ المتّحدة", "--index", corpus_index, "--limit", "50")
    assert [h["id"] for h in plain["hits"]] == [h["id"] for h in standard["hits"]]
    assert any("الأمم" in h["snippet"] for h in plain["hits"])


def test_search_json_shape(corpus_index):
    data = cli_json("search", "تمبكتو", "--index", corpus_index)
    assert set(data) >= {"query", "total", "page", "hits"}
    hit = data["hits"][0]
    assert set(hit) >= {"id", "title", "date", "source", "lang", "score", "snippet", "path"}
    assert hit["id"] == "madar-2024-0522-timbuktu-manuscripts"
    assert hit["date"] == "2024-05-22" and hit["lang"] == "ar"
    assert hit["path"] == "ar/export/news.jsonl"


def test_ids_follow_the_format_rules(corpus_index):
    data = cli_json("search", "date:2023", "--index", corpus_index, "--limit", "100")
    ids = {h["id"] for h in data["hits"]}
    assert "NILE-economy-0007-20230412" in ids               # TREC DOCNO
    assert "khaleej-2023-0611-sfax-desalination" in ids      # JSONL id
    assert "ar/pages/un-water-tigris-euphrates.txt" in ids   # page path relative to corpus/
    read_also = cli_json("search", "", "--index", corpus_index, "--limit", "100", "--lang", "ar")
    assert any(h["id"].endswith(".txt#2") for h in read_also["hits"])


def test_search_human_output_lists_title_date_source(corpus_index):
    result = run_cli("search", "تمبكتو", "--index", corpus_index)
    assert result.exit_code == 0
    assert "ترميم مخطوطات تمبكتو" in result.output
    assert "2024-05-22" in result.output and "موقع المدار نيوز" in result.output


def test_batch_trec_ranks_as_interactive_search(corpus_index, tmp_path):
    queries = {"q1": "الامم المتحده", "q2": "election observers Kyrgyzstan", "q3": "الجفاف والسدود"}
    batch = tmp_path / "topics.tsv"
    batch.write_text("".join("%s\t%s\n" % kv for kv in queries.items()), encoding="utf-8")
    result = run_cli("search", "--batch", batch, "--format", "trec", "--limit", "5", "--index", corpus_index)
    assert result.exit_code == 0
    lines = [line.split() for line in result.output.strip().splitlines()]
    assert lines and all(len(p) == 6 and p[1] == "Q0" and p[5] == "akhbar" for p in lines)
    for qid, query in queries.items():
        run = [p[2] for p in lines if p[0] == qid]
        interactive = cli_json("search", query, "--index", corpus_index, "--limit", "5")
        assert run == [h["id"] for h in interactive["hits"]]
        assert [int(p[3]) for p in lines if p[0] == qid] == list(range(1, len(run) + 1))


def test_analyze_shows_each_stage():
    data = cli_json("analyze", "وبالاتفاقيات الدّوليّة ٢٠٢٢")
    assert data["tokens"] == ["وبالاتفاقيات", "الدّوليّة", "٢٠٢٢"]
    assert data["normalized"][1] == "الدوليه" and data["normalized"][2] == "2022"
    assert data["language"] == "ar"
    assert "2022" in data["terms"]
    text = run_cli("analyze", "The elections were held").output
    assert "tokens:" in text and "elect" in text


def test_missing_index_is_a_clear_error(tmp_path):
    result = run_cli("search", "anything", "--index", tmp_path / "nowhere")
    assert result.exit_code != 0
    assert "akhbar index" in result.output and "Traceback" not in result.output


def test_index_defaults_to_env_var(tmp_path, monkeypatch):
    target = tmp_path / "from-env"
    monkeypatch.setenv("AKHBAR_INDEX", str(target))
    result = run_cli("index", CORPUS + "/en")
    assert result.exit_code == 0, result.output
    data = json.loads(run_cli("stats", "--json").output)
    assert data["articles"] == 7 and data["languages"] == {"en": 7}


def test_page_beyond_the_searchers_cap_is_refused_not_clamped(corpus_index):
    """--page above the searcher's MAX_PAGE used to be silently turned into that page."""
    from search.searcher import MAX_PAGE
    result = run_cli("search", "زيت", "--page", MAX_PAGE + 1, "--index", corpus_index)
    assert result.exit_code == 2 and "--page" in result.output
