"""Scraped news pages shaped like the archive's own, read into articles.

The two page shapes here follow ../shared/seeds/ (headline page with a
language switcher and a photo credit; headline-less page with sources, tags,
a "read also" article and a related list), with text written for the tests.
"""
from indexer.documents import Article, detect_format, read_file
from indexer.pages import parse_page, split_tags, title_from_lead

HEADLINE_PAGE = """Ru En

وزيرا الزراعة في المغرب وتونس يبحثان تبادل بذور القمح المقاومة للجفاف

١٤ آذار ٢٠٢٣

بحث وزير الزراعة المغربي ونظيره التونسي، في اجتماع عقد اليوم الثلاثاء بالرباط، سبل تبادل أصناف بذور القمح التي تتحمل قلة الأمطار.

وقال الوزيران في بيان مشترك إن التعاون سيشمل مراكز البحث الزراعي في البلدين.

 

توسيع التجارب الميدانية

وأضاف البيان أن التجارب ستمتد إلى ثلاث جهات جديدة خلال الموسم المقبل.

 

ملصق المعرض الزراعي الدولي في مكناس
الصورة: وزارة الفلاحة
المصدر: وكالة المغرب العربي للأنباء"""

LEAD_PAGE = """أعلنت هيئة الموانئ في ميناء صلالة، اليوم، عن بدء تشغيل رصيف جديد مخصص لسفن الحاويات الكبيرة، في خطوة قالت إنها سترفع الطاقة الاستيعابية للميناء بنحو الثلث خلال العام المقبل.

مسقط: ارتفاع حركة الشحن في موانئ السلطنة

وقال مدير الهيئة إن الرصيف الجديد يستقبل السفن التي يزيد طولها على أربعمئة متر.

وأضاف أن أعمال التوسعة استغرقت عامين بتكلفة بلغت مئتي مليون دولار.

المصدر: وكالة الأنباء العمانية

المصدر: صحيفة الخليج الاقتصادية

كلمات دلالية: موانئ صلالة سفن الحاويات الشحن البحري

إقرأ أيضاً:

افتتاح مصنع لتحلية المياه بالطاقة الشمسية في الدقم

افتتح اليوم في منطقة الدقم مصنع لتحلية مياه البحر يعمل بالكامل بالطاقة الشمسية.

ويوفر المصنع المياه لنحو خمسين ألف نسمة، حسب الشركة المشغلة.

مقالات مشابهة

  • الموانئ العمانية تسجل رقما قياسيا في مناولة الحاويات
  • افتتاح مصنع لتحلية المياه بالطاقة الشمسية في الدقم
  • شركة ملاحة آسيوية تضيف خطا مباشرا إلى صلالة
"""


def _page(text, path="page.txt"):
    return parse_page(text, path, Article)


def test_headline_page_title_skips_language_switcher():
    [a] = _page(HEADLINE_PAGE)
    assert a.title == "وزيرا الزراعة في المغرب وتونس يبحثان تبادل بذور القمح المقاومة للجفاف"


def test_headline_page_date_in_levantine_months_and_arabic_indic_digits():
    [a] = _page(HEADLINE_PAGE)
    assert a.date == "2023-03-14"


def test_headline_page_source_and_no_photo_credit_or_caption_in_body():
    [a] = _page(HEADLINE_PAGE)
    assert a.sources == ["وكالة المغرب العربي للأنباء"]
    assert "وزارة الفلاحة" not in a.body
    assert "ملصق المعرض" not in a.body
    assert a.body.startswith("بحث وزير الزراعة المغربي")
    assert a.body.endswith("خلال الموسم المقبل.")
    assert "توسيع التجارب الميدانية" in a.body      # a subheading is part of the article


def test_lead_page_is_titled_by_the_opening_words_of_its_lead():
    arts = _page(LEAD_PAGE)
    main = arts[0]
    assert main.title == "أعلنت هيئة الموانئ في ميناء صلالة، اليوم، عن بدء تشغيل رصيف جديد…"
    # The lead is not swallowed by the title: the body still starts with it.
    assert main.body.startswith("أعلنت هيئة الموانئ في ميناء صلالة")
    assert main.date is None      # no date line: none is invented from the text


def test_lead_page_sources_agency_and_publisher_and_tags():
    main = _page(LEAD_PAGE)[0]
    assert main.sources == ["وكالة الأنباء العمانية", "صحيفة الخليج الاقتصادية"]
    assert main.tags == ["موانئ صلالة سفن الحاويات الشحن البحري"]


def test_read_also_is_its_own_article_and_not_credited_to_the_page():
    main, also = _page(LEAD_PAGE, "oman/ports.txt")
    assert also.id == "oman/ports.txt#2"
    assert also.path == "oman/ports.txt"
    assert also.title == "افتتاح مصنع لتحلية المياه بالطاقة الشمسية في الدقم"
    assert also.body.startswith("افتتح اليوم في منطقة الدقم")
    assert "تحلية" not in main.body
    assert also.sources == [] and also.tags == []


def test_related_list_is_kept_apart_from_the_body():
    main = _page(LEAD_PAGE)[0]
    assert main.related == [
        "الموانئ العمانية تسجل رقما قياسيا في مناولة الحاويات",
        "افتتاح مصنع لتحلية المياه بالطاقة الشمسية في الدقم",
        "شركة ملاحة آسيوية تضيف خطا مباشرا إلى صلالة",
    ]
    assert "ملاحة آسيوية" not in main.body
    assert "مقالات مشابهة" not in main.body


def test_read_also_without_body_is_not_an_article():
    text = LEAD_PAGE.split("إقرأ أيضاً:")[0] + "اقرأ أيضا\n\nعنوان وحده بلا نص\n"
    assert len(_page(text)) == 1


def test_read_also_marker_variants():
    for marker in ("اقرأ أيضا", "إقرأ أيضاً:", "اقرأ أيضًا:", "إقرأ ايضا"):
        text = HEADLINE_PAGE + "\n\n%s\n\nعنوان آخر\n\nنص الخبر الآخر هنا.\n" % marker
        arts = _page(text)
        assert [a.title for a in arts][1:] == ["عنوان آخر"], marker


def test_seed_shaped_files_are_detected_as_pages(tmp_path):
    for name, text in (("a.txt", HEADLINE_PAGE), ("b.txt", LEAD_PAGE)):
        p = tmp_path / name
        p.write_text(text, encoding="utf-8")
        assert detect_format(name, text) == "page"
        assert read_file(str(p), name)[0].title


def test_split_tags_uses_separators_when_there_are_some():
    assert split_tags("الجزائر، الأمم المتحدة، وزارة العدل") == ["الجزائر", "الأمم المتحدة", "وزارة العدل"]
    assert split_tags("a, b; c") == ["a", "b", "c"]
    assert split_tags("كورونا الأمم المتحدة") == ["كورونا الأمم المتحدة"]


def test_title_from_a_short_lead_is_the_lead():
    assert title_from_lead("خبر قصير") == "خبر قصير"
