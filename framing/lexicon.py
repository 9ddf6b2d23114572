"""Every word list framing reads, in one place: verbs of speech and belief, the evaluative words
of the cues, abbreviations, titles, the nouns that tell source kinds apart, and the grammar words
of the attribution rules.

Lists that serve different purposes are derived from shared inflected lemmas rather than kept
apart, so the sentence splitter and the attribution tokenizer, and the cues and the attribution
rules, never disagree about a word. Written for this project (informed by reading PolNeAR
*train* cue frequencies, not copied from a licensed list) so that they can ship in the wheel.
This module imports nothing from framing: every layer may read it.
"""

from __future__ import annotations


_VOWELS = "aeiou"
# Two-syllable verbs stressed on the last syllable double their final consonant as monosyllables
# do ("admitted", "concurred"); "answered", "threatened" do not.
_STRESS_FINAL = frozenset("admit commit submit omit concur occur refer prefer confer defer regret rebut compel patrol control".split())
# Lemmas whose past is irregular: only their -s and -ing forms are regular (no "writed", "finded").
_IRREGULAR_PAST = frozenset("say tell write think know feel find show".split())


def _doubles(lemma: str) -> bool:
    """Whether the final consonant doubles before -ed/-ing: a consonant-vowel-consonant ending
    (not w, x, y) of a one-syllable verb or of a verb stressed on its last syllable."""
    word = lemma.replace("qu", "qw")  # the u of "quip" is a consonant
    if len(word) < 3 or word[-1] in _VOWELS + "wxy" or word[-2] not in _VOWELS or word[-3] in _VOWELS:
        return False
    syllables = sum(1 for k, ch in enumerate(word) if ch in _VOWELS and (k == 0 or word[k - 1] not in _VOWELS))
    return syllables == 1 or lemma in _STRESS_FINAL


def _forms(lemmas: str) -> frozenset[str]:
    """Each lemma and its regular inflections: argue → argues, argued, arguing; quip → quips,
    quipped, quipping; echo → echoes; deny → denies, denied. Irregular pasts (said, wrote) are
    listed in _IRREGULAR, not generated."""
    out: set[str] = set()
    for lemma in lemmas.split():
        out.add(lemma)
        if lemma.endswith("e"):
            third, past, ing = lemma + "s", lemma + "d", lemma[:-1] + "ing"
        elif lemma.endswith("y") and lemma[-2] not in _VOWELS:
            third, past, ing = lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"
        elif lemma.endswith(("s", "sh", "ch", "x", "z", "o")):
            third, past, ing = lemma + "es", lemma + "ed", lemma + "ing"
        elif _doubles(lemma):
            third, past, ing = lemma + "s", lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"
        else:
            third, past, ing = lemma + "s", lemma + "ed", lemma + "ing"
        out |= {third, ing} if lemma in _IRREGULAR_PAST else {third, past, ing}
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

#: The reporting verbs of LABELS.md's attributed_quote ("say, tell, state, claim, warn, argue,
#: insist, add, note, echo, deny, suggest, announce, write, tweet ...") and their kin, stances
#: relayed as quoted content included ("Zelensky called the plan unacceptable"): what the cues
#: show as "reporting verb" and the rule classifier counts. Finite forms only (and "saying",
#: "telling"): a participle ("..., adding to the confusion") is too often no report. Measured on
#: CheckThat! dev/dev_test, BABE held-out and PolNeAR dev sentences, the -ing forms cost the rule
#: classifier 0.002-0.011 macro-F1, and the wider RELAYING_VERBS 0.005-0.027.
REPORTING_VERBS: frozenset[str] = frozenset(
    w for w in _forms(
        """state claim warn argue insist add note echo deny suggest announce tweet post explain
        assert acknowledge confirm report declare predict recall reply respond testify admit
        allege contend maintain observe remark complain concede urge vow pledge promise describe
        call ask quip"""
    ) if not w.endswith("ing")
) | frozenset("say says said saying tell tells told telling write writes wrote".split())

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

# -- Abbreviations (the sentence splitter, the attribution tokenizer, the name finder) ---------

#: Never end a sentence: a name or a number follows them ("Mr.", "Gen.", "Sens. Warren").
TITLE_ABBREVIATIONS: frozenset[str] = frozenset(
    """mr mrs ms mx dr prof st gen sen sens rep reps gov govs lt col sgt capt cmdr adm rev hon
    pres supt mt ft maj cpl pvt brig insp det amb atty messrs mme mlle cf dept univ ave blvd rd
    hwy""".split()
)
#: End a sentence unless a number follows ("No. 5", "Jan. 5", "p. 4"; "No. The U.S. has ...").
NUMBER_ABBREVIATIONS: frozenset[str] = frozenset(
    """no nos vol vols pp p fig figs art sec ch para op ca approx est jan feb mar apr jun jul
    aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun""".split()
)
#: May end a sentence: they do when a typical sentence opener follows ("9 a.m. The meeting").
AMBIGUOUS_ABBREVIATIONS: frozenset[str] = frozenset(
    """u.s u.k u.n e.u u.s.a a.m p.m e.g i.e etc inc ltd co corp llc plc bros al vs
    d.c n.y l.a jr sr i""".split()
)
#: Every word whose final period belongs to it (so does any single letter or dotted word: "D.",
#: "U.S."): the tokenizer keeps the period on the word, the name finder reads on past it.
ABBREVIATIONS: frozenset[str] = TITLE_ABBREVIATIONS | NUMBER_ABBREVIATIONS | AMBIGUOUS_ABBREVIATIONS
#: Words that typically open a sentence: after an ambiguous abbreviation they end the sentence.
SENTENCE_OPENERS: frozenset[str] = frozenset(
    """the a an it its he she they we i you this that these those there here but and or so yet
    in on at for as if when while after before since then still however meanwhile his her
    their our my what who why how where no not one some many most all both each""".split()
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


# -- The author's own evaluation (framing.cues) ----------------------------------------------

#: Words that carry the writer's evaluation when they are not inside a quotation. Kept short and
#: precise: a neutral descriptive adjective ("tense meeting") must not flip a factual sentence.
EVALUATIVE_WORDS: frozenset[str] = frozenset(
    """
    startling shocking chilling stunning staggering alarming disturbing outrageous disgraceful
    shameful scandalous absurd ridiculous bizarre laughable pathetic appalling horrifying
    horrific terrible awful dreadful disastrous catastrophic reckless dangerous cynical
    callous brazen blatant shameless sham farce travesty kicker capitulation coercion
    surrender betrayal blunder debacle fiasco charade nonsense propaganda hypocrisy hypocritical
    stark bluntly blunt truly clearly obviously undeniably unquestionably frankly sadly
    unfortunately fortunately thankfully tragically ironically remarkably incredibly
    extraordinary unprecedented seismic historic crucial vital essential deserve deserves
    deserved must should ought brilliant excellent wonderful great admirable heroic courageous
    corrupt crooked extreme extremist radical fringe dishonest liar lies lie lied lying
    notorious infamous dubious specious misguided naive foolish stupid idiotic insane crazy
    """.split()
)

#: Phrases that signal the author's stance or interpretation of motives: (name, regex).
EVALUATIVE_PHRASES: tuple[tuple[str, str], ...] = (
    ("contrast frame", r"\b(?:is|isn['’]t|was|wasn['’]t|not)\b[^.?!—–]{0,80}[—–]\s*(?:it|this|that)['’]s\b"),
    ("\"not just\"", r"\b(?:isn['’]t|is not|wasn['’]t|was not|aren['’]t)\s+just\b"),
    ("\"no accident\"", r"\bno accident\b"),
    ("\"the real\"", r"\bthe real (?:crisis|problem|story|question|issue|scandal)\b"),
    ("\"here's the\"", r"\bhere['’]s the\b"),
    ("moral claim", r"\b(?:no democracy|history will|history won['’]t|the world must|we must|we should)\b"),
)
