"""Stopword lists, stored in the same normalised form the terms take.

Arabic entries are written naturally and normalised when the module loads, so
the list can never drift from what ``normalize`` produces.

Where they come from:

- Arabic: compiled for akhbar: prepositions, conjunctions, pronouns,
  demonstratives and relatives, question words, the forms of كان, the
  commonest و-prefixed forms, and spellings news sites write without hamza
  (الى, او, ايضا).
- English: compiled for akhbar: the function words of English news prose.
- French and Russian: follow the stop lists of the Snowball project
  (snowballstem.org, BSD licence; NLTK's lists derive from them).  French
  keeps the opening of Snowball's list (articles, pronouns, prepositions,
  the elided c d j l m n s t), adds ils, les, cet, cette, dont and où, and
  keeps only the commonest forms of être and avoir.  Russian is Snowball's
  list without its content words (человек, жизнь, сказал, сегодня...), with
  the ё spellings ещё and её, это and также added.
"""
from .arabic import normalize

_ARABIC = """
في من إلى على عن مع هذا هذه ذلك تلك هؤلاء الذي التي الذين اللذان اللتان اللواتي
اللاتي ما ماذا لماذا كيف أين متى هل لا لم لن ليس ليست إن أن إنه أنه إنها أنها كان
كانت يكون تكون كانوا قد لقد ثم أو أم بل لكن و ف ب ل ك كل بعض أي غير بين عند عندما
حيث حتى إذا إذ لو لولا منذ خلال حول دون ضد نحو لدى لدي أمام وراء فوق تحت قبل بعد
هو هي هم هن أنا نحن أنت أنتم انت انتم له لها لهم لهن به بها بهم فيه فيها فيهم منه
منها منهم عليه عليها عليهم إليه إليها إليهم وقد وهو وهي وفي ومن وإلى وعلى وعن ومع
وأن وإن ولا ولم ولن وما وكان وكانت وهذا وهذه وذلك التى الى او اى الا ايضا أيضا كما
يا أيها اي الذى عليه فقط
"""

_ENGLISH = """
a an and are as at be been but by for from had has have he her his i if in into is
it its of on or our she so than that the their them then there these they this to
was we were what when which who will with would you your not no do does did
"""

_FRENCH = """
au aux avec ce ces dans de des du elle en et eux il ils je la le les leur lui ma
mais me même mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses
son sur ta te tes toi ton tu un une vos votre vous c d j l à m n s t y été être
est sont a ont était cette cet dont où
"""

_RUSSIAN = """
и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по
только ее её мне было вот от меня еще ещё нет о из ему теперь когда даже ну ли если
уже или ни быть был него до вас нибудь опять уж вам ведь там потом себя ничего ей
может они тут где есть надо ней для мы тебя их чем была сам чтоб без будто чего раз
тоже себе под будет ж тогда кто этот того потому этого какой совсем ним здесь этом
один почти мой тем чтобы нее сейчас были куда зачем всех никогда можно при наконец
два об другой хоть после над больше тот через эти нас про всего них какая много
разве три эту моя впрочем хорошо свою этой перед иногда лучше чуть том нельзя такой
им более всегда конечно всю между это также
"""


def _words(block, arabic=False):
    return frozenset(normalize(w) if arabic else w for w in block.split())


STOPWORDS = {
    "ar": _words(_ARABIC, arabic=True),
    "en": _words(_ENGLISH),
    "fr": _words(_FRENCH),
    "ru": _words(_RUSSIAN),
}
