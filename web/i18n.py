"""The page's own words in English and Arabic.

The interface language comes from ``?ui=ar|en`` when given (kept in every link)
and otherwise from the browser's Accept-Language.  Articles always keep their
own language and direction; only the labels around them change.  English text
is the key, so a missing translation shows English rather than nothing.
"""
UI_LANGS = ("en", "ar")

from .research_words import ARABIC as RESEARCH_ARABIC  # noqa: E402

ARABIC = {
    "Search the archive": "ابحث في الأرشيف",
    "Search": "بحث",
    "Query syntax": "طريقة كتابة البحث",
    "Did you mean": "هل تقصد",
    "?": "؟",
    "articles": "عدد النتائج:",
    "shown": "المعروض",
    "time limit reached: the count is a lower bound": "بلغ البحث حدّه الزمني: العدد الحقيقي قد يكون أكبر",
    "partial: these parts of the archive did not answer": "نتائج ناقصة: لم تُجب هذه الأجزاء من الأرشيف",
    "Sort:": "الترتيب:",
    "relevance": "الأقرب",
    "newest": "الأحدث",
    "oldest": "الأقدم",
    "Page": "الصفحة",
    "is past the end; the last page is": "بعد آخر صفحة؛ آخر صفحة هي",
    "Go to the last page": "اذهب إلى آخر صفحة",
    "the first page": "الصفحة الأولى",
    "No articles match": "لا توجد مقالات تطابق",
    "The article goes on for": "يتواصل المقال",
    "more characters, not shown here; the whole text is in": "حرفاً أخرى لا تظهر هنا؛ النص كاملاً في",
    "The time limit was reached before any article was found for":
        "بلغ البحث حدّه الزمني قبل أن يجد مقالاً يطابق",
    "Some matches may have been missed: try fewer words, or fewer * and ~.":
        "ربما فاتته مقالات تطابق: جرّب كلمات أقل، أو عدداً أقل من * و ~.",
    "with these filters": "مع هذه المرشّحات",
    "Search again without the filters": "ابحث مجدداً دون المرشّحات",
    "Check the spelling, or use fewer words: every word counts.": "تحقّق من الإملاء، أو استعمل كلمات أقل: كل كلمة تُحتسب.",
    "Put a * after the start of a word to find its other forms, or a ~ for similar spellings:":
        "ضع * بعد أول الكلمة لتجد صيغها الأخرى، أو ~ لتجد الكتابات القريبة منها:",
    "Use OR (أو) between words that may stand for each other:": "استعمل أو (OR) بين الكلمات التي قد تحلّ إحداها محل الأخرى:",
    "The query syntax, with examples": "طريقة كتابة البحث، مع أمثلة",
    "Read as:": "قُرئ البحث هكذا:",
    "Name variants": "صيغ الأسماء الأخرى",
    "Also searched for": "بُحث أيضاً عن صيغ أخرى لـ",
    "Remove this variant": "احذف هذه الصيغة",
    "restore": "أعِدها",
    " with proclitics": " مع السوابق (و، ف، ب، ل، ك)",
    "Search names only as typed": "ابحث عن الأسماء كما كُتبت فقط",
    "Also search other spellings of names": "ابحث أيضاً عن الكتابات الأخرى للأسماء",
    "Previous": "السابق",
    "Next": "التالي",
    "Pages": "الصفحات",
    "Narrow the search": "تضييق البحث",
    "Language": "اللغة",
    "Source": "المصدر",
    "Month": "الشهر",
    "Dates": "التاريخ",
    "Apply": "طبّق",
    "and more:": "وغيرها:",
    "Filters in force": "المرشّحات المطبّقة",
    "language": "اللغة",
    "source": "المصدر",
    "month": "الشهر",
    "from": "من",
    "to": "إلى",
    "Remove this filter": "أزل هذا المرشّح",
    "Also filed in other places:": "نُشر أيضاً في مواضع أخرى:",
    "see where": "أين؟",
    "This search cannot be read": "تعذّرت قراءة هذا البحث",
    "Start a new search": "ابدأ بحثاً جديداً",
    "Search the news archive in Arabic, English, French or Russian. Spelling variants of Arabic words match each other:":
        "ابحث في أرشيف الأخبار بالعربية والإنجليزية والفرنسية والروسية. الكتابات المختلفة للكلمة العربية يطابق بعضها بعضاً:",
    "finds": "تجد",
    "How to write a query": "كيف تكتب البحث",
    "Back to the results for": "العودة إلى نتائج",
    "words matching the query are marked:": "الكلمات المطابقة للبحث مظلّلة:",
    "Where it appeared": "أين نُشر",
    "original page": "الصفحة الأصلية",
    "No other copy of this article is in the archive.": "لا توجد نسخة أخرى من هذا المقال في الأرشيف.",
    "More like this": "مقالات مشابهة",
    "Not found": "غير موجود",
    "This request cannot be read": "تعذّرت قراءة هذا الطلب",
    "Not allowed": "غير مسموح",
    "Error": "خطأ",
    "Results for": "نتائج",
    "saved": "حُفظت في",
    "from the index": "من الفهرس",
}

ARABIC.update(RESEARCH_ARABIC)

OTHER_UI = {"en": ("ar", "العربية"), "ar": ("en", "English")}


def choose_ui(requested, accept_languages):
    """'ar' or 'en': the ?ui= value when valid, else the browser's preference."""
    if requested in UI_LANGS:
        return requested
    return accept_languages.best_match(UI_LANGS, default="en") if accept_languages else "en"


def translator(ui):
    """The function templates call as t("English text")."""
    if ui != "ar":
        return lambda text: text
    return lambda text: ARABIC.get(text, text)
