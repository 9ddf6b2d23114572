"""Word lists for attribution: reporting verbs, titles, and the nouns that tell source kinds apart.

Written for this project (informed by reading PolNeAR *train* cue frequencies, not copied from a
licensed list) so that they can ship in the wheel.
"""

from __future__ import annotations


def _forms(lemmas: str) -> frozenset[str]:
    """Regular inflections of each lemma: say → say, says, sayed... plus the irregulars below."""
    out: set[str] = set()
    for lemma in lemmas.split():
        out.add(lemma)
        if lemma.endswith("e"):
            out |= {lemma + "s", lemma + "d", lemma[:-1] + "ing"}
        elif lemma.endswith("y") and lemma[-2] not in "aeiou":
            out |= {lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"}
        elif lemma.endswith(("s", "sh", "ch", "x", "z")):
            out |= {lemma + "es", lemma + "ed", lemma + "ing"}
        else:
            out |= {lemma + "s", lemma + "ed", lemma + "ing"}
    return frozenset(out)


_IRREGULAR = frozenset(
    """say says said saying tell tells told telling write writes wrote written writing
    tweet tweets tweeted tweeting think thinks thought thinking know knows knew known
    feel feels felt feeling find finds found finding show shows showed shown showing
    predict predicted admit admits admitted admitting testify testifies testified
    stress stresses stressed emphasize emphasized emphasizes refer referred refers
    """.split()
)

#: Verbs that report speech or writing: a cue on their own.
SPEECH_VERBS: frozenset[str] = _IRREGULAR | _forms(
    """add note claim argue insist warn explain announce state declare acknowledge confirm deny
    reply respond allege contend assert reiterate remark complain concede urge vow pledge
    promise predict recall caution counter retort quip joke boast brag lament insist mention
    suggest report reveal disclose estimate conclude recommend propose demand threaten
    speculate wonder ask tweet post write testify admit stress emphasize explain agree
    disagree concur observe maintain accuse criticize praise blast slam charge question
    point declare proclaim exclaim shout yell scream whisper answer inform assure advise
    signal hint imply indicate describe call cite echo tout defend dismiss reject
    """
)

#: Verbs that relay what was said: the LABELS.md list and its kin (framing.context reads them).
#: Not every speech verb above: "rejected any deal", "called for a freeze", "signaled alarm",
#: "blasted Sanders" report *that* a source holds a position, a factual report by LABELS.md.
RELAYING_VERBS: frozenset[str] = frozenset(
    "say says said saying tell tells told telling write writes wrote written writing "
    "tweet tweets tweeted tweeting show shows showed shown showing predict predicts predicted "
    "admit admits admitted admitting testify testifies testified".split()
) | _forms(
    """state claim warn argue insist add note echo deny suggest announce report explain vow
    promise acknowledge reiterate recall respond reply ask declare contend assert maintain
    concede confirm estimate allege remark caution retort quip joke boast lament mention
    reveal disclose conclude answer inform assure"""
)

#: Verbs of belief, intention and perception: PolNeAR counts them as attributions.
BELIEF_VERBS: frozenset[str] = _IRREGULAR & frozenset("think thinks thought believe feel feels felt know knows knew".split()) | _forms(
    "believe expect hope fear worry doubt"
)

#: Verbs that are cues only with evidence of reported content ("that", a quotation, a colon, or
#: a postposed frame: "..., X noted."), since they also take plain objects ("added 200 jobs").
NEEDS_EVIDENCE: frozenset[str] = _forms(
    """add note report post state claim charge maintain observe show find agree counter point
    signal indicate answer advise inform conclude estimate mention hint imply explain write
    tweet ask respond reply recall admit continue expect hope fear worry doubt know feel think
    believe wonder joke stress emphasize testify
    """
) | frozenset("show shows showed shown showing find finds found know knows knew feel feels felt think thinks thought written wrote writes write".split())

#: Verbs whose object is the addressee ("told reporters that ..."): content starts after it.
ADDRESSEE_VERBS: frozenset[str] = frozenset(
    """tell tells told telling ask asks asked asking inform informs informed assure assures
    assured warn warns warned remind reminds reminded urge urges urged advise advises advised""".split()
)

#: Words allowed inside a verb group before the verb ("has also said", "did not deny").
VERB_GROUP: frozenset[str] = frozenset(
    """has have had having will would could should may might must can did does do is was are
    were be been also later previously repeatedly recently then not n't never often once already
    reportedly publicly privately again even still just first long ever only too""".split()
)

#: Words that end a source noun phrase going leftwards (clause openers, conjunctions).
NP_STOP: frozenset[str] = frozenset(
    """that but because when while as if although though since where which so yet whereas
    whether unless until than said says told say tell what whom how why whose""".split()
)

SENTENCE_ADVERBS: frozenset[str] = frozenset(
    """but and so yet still meanwhile however now also instead indeed then later earlier though
    too
    separately moreover furthermore besides thus""".split()
)

TIME_WORDS: frozenset[str] = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday week month year weekend night
    morning afternoon evening today yesterday tonight january february march april may june july
    august september october november december spring summer fall winter""".split()
)

PRONOUNS: dict[str, str] = {
    "he": "person", "she": "person", "i": "person", "we": "collective", "they": "collective",
    "it": "organization", "him": "person", "her": "person", "you": "person",
}

#: Titles and roles stripped from a name to get the speaker ("U.S. Secretary of State Marco
#: Rubio" → "Marco Rubio"), and head nouns that make "the senator" a person.
TITLES: frozenset[str] = frozenset(
    """mr mr. mrs mrs. ms ms. dr dr. sen sen. rep rep. gov gov. gen gen. lt lt. col col. sgt sgt.
    capt capt. adm adm. rev rev. prof prof. president vice secretary senator representative
    congressman congresswoman governor mayor minister prime chancellor chairman chairwoman chair
    chief commissioner director general judge justice speaker leader ambassador envoy spokesman
    spokeswoman spokesperson sheriff attorney deputy assistant special counsel candidate nominee
    former state u.s. us of defense foreign house senate majority minority whip pope king queen
    prince princess sir lady lord ceo founder executive officer press aide adviser advisor
    economist analyst professor""".split()
)

PERSON_NOUNS: frozenset[str] = frozenset(
    """senator president governor mayor minister chancellor secretary chairman chairwoman chair
    commissioner director general judge justice speaker leader ambassador envoy spokesman
    spokeswoman spokesperson sheriff attorney candidate nominee congressman congresswoman
    representative man woman father mother son daughter wife husband aide adviser advisor
    economist analyst professor lawyer official strategist pollster author reporter writer
    journalist host anchor moderator expert researcher scientist doctor activist voter resident
    supporter donor founder chief executive ceo owner manager member friend veteran student
    teacher worker pastor priest officer agent detective prosecutor investigator diplomat
    billionaire businessman businesswoman consultant operative campaigner organizer""".split()
)

ORG_NOUNS: frozenset[str] = frozenset(
    """office administration campaign committee department ministry government party agency
    company council commission house kremlin senate congress court bureau board union
    association foundation institute university college center network newspaper paper
    magazine times post journal news press reuters cnn nbc abc cbs fox msnbc bbc ap afp
    group organization corporation corp inc firm bank fund league coalition alliance cabinet
    embassy parliament legislature police army military pentagon fbi cia nsa dnc rnc gop
    nato un eu who white state staff team camp outlet site website daily tribune herald
    globe politico breitbart axios bloomberg newsmax wsj nyt service hospital school museum""".split()
)

#: ORG_NOUNS words that are also surnames: after a first name they end a person's name
#: ("Vicente Fox", "Dave Camp", "Jack White"), not an organization's ("Twentieth Century Fox").
SURNAME_ORG_NOUNS: frozenset[str] = frozenset("fox camp white".split())

DOCUMENT_NOUNS: frozenset[str] = frozenset(
    """document documents statement statements report reports memo memos letter letters poll
    polls survey surveys study studies filing filings email emails e-mail tweet tweets post
    posts release releases data records record transcript transcripts analysis complaint
    lawsuit ruling indictment plan proposal draft article articles story stories book video
    videos ad ads website cable cables note notes message messages papers file files text
    language figures numbers estimate estimates findings research review audit investigation
    affidavit testimony order guidance chart map""".split()
)

COLLECTIVE_NOUNS: frozenset[str] = frozenset(
    """officials critics lawmakers legislators republicans democrats conservatives liberals
    progressives voters experts analysts leaders residents people observers supporters
    opponents activists diplomats economists scholars historians scientists researchers
    authorities allies americans ukrainians russians europeans citizens members aides advisers
    advisors staffers strategists pollsters observers commentators pundits many some others
    several most both all few investigators prosecutors police protesters parents students
    workers executives donors delegates senators governors mayors candidates generals
    ministers negotiators families groups neighbors witnesses commentators respondents
    world public
    """.split()
)

#: Countries, US states and capitals, which speak for their governments in news ("Russia said",
#: "Washington insists"): an organization, never a person. Names that are often surnames in
#: US politics (Jordan, Chad) are left out.
PLACES: frozenset[str] = frozenset(
    line.strip().lower()
    for line in """
    afghanistan|albania|algeria|andorra|angola|argentina|armenia|australia|austria|azerbaijan
    bahrain|bangladesh|belarus|belgium|bolivia|bosnia|brazil|britain|great britain|bulgaria
    burkina faso|burma|cambodia|cameroon|canada|chile|china|colombia|congo|costa rica|croatia
    cuba|cyprus|czech republic|czechia|denmark|ecuador|egypt|el salvador|eritrea|estonia
    ethiopia|finland|france|gaza|germany|ghana|greece|guatemala|haiti|honduras|hong kong
    hungary|iceland|india|indonesia|iran|iraq|ireland|israel|italy|ivory coast|japan
    kazakhstan|kenya|kosovo|kuwait|kyrgyzstan|laos|latvia|lebanon|libya|lithuania|luxembourg
    malaysia|mali|malta|mexico|moldova|mongolia|montenegro|morocco|mozambique|myanmar|nepal
    netherlands|new zealand|nicaragua|niger|nigeria|north korea|north macedonia|norway|oman
    pakistan|palestine|panama|paraguay|peru|philippines|poland|portugal|qatar|romania|russia
    rwanda|saudi arabia|senegal|serbia|singapore|slovakia|slovenia|somalia|south africa
    south korea|south sudan|spain|sri lanka|sudan|sweden|switzerland|syria|taiwan|tajikistan
    tanzania|thailand|tunisia|turkey|turkmenistan|uganda|ukraine|united arab emirates|uae
    united kingdom|u.k.|uk|united states|u.s.|us|usa|u.s.a.|america|uruguay|uzbekistan
    vatican|venezuela|vietnam|yemen|zambia|zimbabwe|european union|eu|e.u.
    alabama|alaska|arizona|arkansas|california|colorado|connecticut|delaware|florida|georgia
    hawaii|idaho|illinois|indiana|iowa|kansas|kentucky|louisiana|maine|maryland|massachusetts
    michigan|minnesota|mississippi|missouri|montana|nebraska|nevada|new hampshire|new jersey
    new mexico|new york|north carolina|north dakota|ohio|oklahoma|oregon|pennsylvania
    rhode island|south carolina|south dakota|tennessee|texas|utah|vermont|virginia|washington
    west virginia|wisconsin|wyoming
    moscow|kyiv|kiev|beijing|london|paris|berlin|tokyo|tehran|jerusalem|brussels|ankara
    pyongyang|seoul|damascus|riyadh|cairo|caracas|havana|new delhi|islamabad|kabul|baghdad
    ottawa|canberra|warsaw|rome|madrid|minsk|taipei|doha|abu dhabi|tel aviv|budapest|vienna
    """.replace("\n", "|").split("|")
    if line.strip()
)

#: Reflexive intensifiers after a source ("Zelensky himself"): the source is the word before.
REFLEXIVES: frozenset[str] = frozenset("himself herself itself themselves".split())

#: Words whose final period is part of the word, not a sentence end (so is any single letter or
#: dotted word: "D.", "U.S."); the tokenizer and the name finder share them.
ABBREVIATIONS: frozenset[str] = frozenset(
    """mr mrs ms dr sen rep gov gen lt col sgt capt adm rev prof st jr sr inc co corp ltd bros
    no vs etc jan feb mar apr jun jul aug sep sept oct nov dec ave sens reps govs""".split()
)


# -- Grammar words the attribution rules read (framing.attribution.rules) -----------------------
#
# Small closed classes: what may stand in a source noun phrase, what ends one, what may follow
# a postposed cue ("said Monday in a statement"), which words make a verb a noun ("his call").

#: Verbs that can cue an attribution frame: speech, and belief or perception.
CUE_VERBS = SPEECH_VERBS | BELIEF_VERBS

DASHES = frozenset("—–")

DETERMINERS = frozenset("a an the his her their its our my your this that these those one another some".split())

ED_ADJECTIVES = frozenset(
    """unnamed retired elected so-called indicted embattled concerned united detailed respected
    noted related interested based affiliated appointed red-faced talented renowned beloved
    disgraced alleged leaked classified unpublished revised updated signed internal""".split()
)

BE_FORMS = frozenset("be been being is was were are am isn't wasn't weren't aren't".split())

ING_ADJECTIVES = frozenset(
    """leading ruling governing sitting outgoing incoming founding managing presiding
    visiting remaining acting polling""".split()
)

TIME_NOUNS = TIME_WORDS | {"day", "hour"}

PREPOSITIONS = frozenset("in on at during after before since for by with from of to about over under among like unlike despite".split())

VERBISH = frozenset(
    """is was are were has had have will would could should can may might must did does do
    made gave took put sent issued released offered posted shared sat met spoke went came
    became got kept left led ran""".split()
)

NOT_SOURCES = frozenset("it there this that what which who where when how here".split())

HEADLINE_KICKERS = frozenset(
    """contributing reporting editing source sources credit credits via photograph updated update note editor correction watch read photos photo video breaking exclusive q a here
    answer question bottom line why what how who when where listen live opinion analysis
    related also see warning""".split()
)

TRAILING_ADVERBS = frozenset("also now further however too still again even then instead already".split())

WH_WORDS = frozenset("what who whom whether if why how when where which".split())

OPINION_VERBS = frozenset("think thinks thought believe believes believed feel feels felt hope hopes hoped guess suspect suspects suspected".split())

FINDING_VERBS = frozenset("show shows showed shown find finds found suggest suggests suggested indicate indicates indicated".split())

CLAUSE_STARTS = frozenset("he she they it i we you there this the a an his her their its our my these those some many most no".split())

#: A sentence can hold a frame only if it has one of these (a cheap filter before tokenizing).
FRAME_WORDS = CUE_VERBS | {"according"} | frozenset(
    """spoke speak speaks speaking talked talk talks talking reacted react reacts reacting
    referred refer refers referring pointed point points pointing pushed push pushes pushing
    lashed lash lashes lashing""".split()
)

BAD_CONTENT_STARTS = frozenset("on about for against with of by from into at".split())

ADJUNCT_WORDS = frozenset(
    """on in at a an the statement interview interviews speech remarks press release conference
    call email e-mail letter post tweet video radio television tv show program appearance
    during with to later earlier last this that's hearing rally event""".split()
) - {"that"}

POSSESSIVES = frozenset("a an the his her their its my our your this that these those every each no".split())

SAY_FORMS = frozenset("say says said saying".split())

NOUN_LIKE_VERBS = frozenset(
    """state states show shows call calls question questions report reports claim claims post
    posts note notes pledge pledges promise promises answer answers tweet tweets statement""".split()
)

SUBJECT_WORDS = frozenset("he she they it i we you who which that officials critics experts polls data records documents".split())

ISSUE_VERBS = frozenset("issued released sent put posted published tweeted distributed circulated".split())

STATEMENT_NOUNS = frozenset("statement release letter memo note tweet post video message email e-mail report".split())

ADDRESSEES = frozenset(
    """reporters journalists me him her us them you supporters listeners viewers lawmakers
    audience crowd members voters students interviewer""".split()
)

TAIL_PREPOSITIONS = frozenset("on in at to during by after before while when with from via over of about as".split())

# "first reported by the Times"; not "areas claimed by Russia", "posts called by critics".
#: "first reported by the Times"; not "areas claimed by Russia", "posts called by critics".
PASSIVE_BY_VERBS = frozenset("reported written quoted cited announced stated published revealed disclosed posted tweeted".split())

PHRASAL_CUES: dict[str, tuple[str, ...]] = {
    "call": ("for",), "ask": ("about", "for"), "writ": ("about",), "wrot": ("about",), "talk": ("about",),
    "speak": ("about", "of", "out"), "spok": ("about", "of", "out"), "complain": ("about",),
    "warn": ("about", "of", "against"), "point": ("to", "out"), "refer": ("to",), "respond": ("to",),
    "react": ("to",), "argu": ("for", "against"), "push": ("for",), "lash": ("out",),
}

PARTICLES = frozenset(p for ps in PHRASAL_CUES.values() for p in ps)
