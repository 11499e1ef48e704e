"""Word lists the analysis rules share: reporting verbs, titles and roles, demonyms, person nouns."""

from __future__ import annotations

from newsfuse.text import words

# Verbs that introduce what someone said, wrote or thought (lemmas). Chosen on PolNeAR dev cues.
REPORTING_VERBS = frozenset("""
say tell add note explain write announce state claim report insist argue warn reply respond stress
emphasise emphasize declare comment confirm deny admit acknowledge suggest assert maintain contend
predict promise vow pledge urge caution complain allege reveal disclose recall remark observe tweet
post testify concede boast estimate conclude describe indicate point believe think feel hope fear
expect worry know agree disagree ask question wonder recommend propose demand accuse criticize
criticise praise blame call charge counter retort repeat reiterate mention quip joke acknowledge
announce signal learn hear show find suspect shout decide realize realise conclude
""".split())

# Reporting verbs the rules read as cues but the fitted quote tagger's lexicon features leave out (they are
# not in REPORTING_VERBS, whose membership is a tagger input as fitted): "“…,” Lind recounts in one letter".
RULE_REPORTING_VERBS = frozenset("recount".split())

# Reporting verbs that only count when they take a clause or a quote (on their own they mean something else).
WEAK_REPORTING_VERBS = frozenset("show find learn hear know call point ask feel think believe expect hope fear".split())

# Words that are titles or roles, not names: stripped from the front of PERSON mentions.
TITLE_WORDS = frozenset("""
minister president prime premier chairman chairwoman chair spokeswoman spokesman spokesperson
secretary general senior lieutenant colonel major captain admiral commander chief director head
ambassador envoy senator sen. sen rep. rep representative governor gov. mayor judge justice king queen prince
princess pope speaker sheikh dr. dr mr. mr mrs. mrs ms. ms sir lord foreign deputy vice acting former
state defence defense interior finance trade economy justice health education
detective sergeant inspector constable officer det. det sgt. sgt insp. insp superintendent commissioner
chief police corporal private governor-general archbishop bishop rev. reverend
lt capt col maj cpl cmdr cdr supt pvt spc ofc atty brig const
attorney prosecutor pastor manager miss
""".split())
# The same words as a token is compared with them, its stop taken off ("Gov." -> "gov", "Rev." -> "rev").
TITLE_STEMS = frozenset(word.rstrip(".") for word in TITLE_WORDS)

# Role nouns that make a descriptor refer to a person ("Russia's top diplomat").
ROLE_HEADS = frozenset("""
minister diplomat president premier chancellor spokeswoman spokesman spokesperson secretary
ambassador envoy leader chief chairman chairwoman king queen general commander governor mayor
""".split())

# Different words for one office; the key is what titles are normalised to.
ROLE_SYNONYMS = {
    "top diplomat": "foreign minister",
    "chief diplomat": "foreign minister",
    "foreign secretary": "foreign minister",
    "secretary of state": "foreign minister",
    "spokeswoman": "spokesperson",
    "spokesman": "spokesperson",
    "chairwoman": "chairman",
    "chair": "chairman",
    "premier": "prime minister",
    "head of state": "president",
}

# Heads and modifiers of descriptors for a ruling body ("the junta", "Myanmar's military government").
BODY_HEADS = frozenset("junta government regime council administration military army generals authorities leadership".split())
BODY_MODIFIERS = frozenset("military ruling army junta".split())
# Heads that name the ruling body on their own, without a modifier.
BODY_SELF_NAMING = frozenset(["junta", "regime"])
# Verbs by which a person leads a body ("who heads Myanmar's ruling military council").
LEAD_VERBS = frozenset("head lead chair run command".split())
# Titles by which a person leads the organisation named before them ("State Administrative Council Chairman").
LEAD_TITLES = frozenset("chairman chairwoman chair head leader chief president director".split())

# Irregular demonyms; regular ones ("Russian" → "Russia") are matched by prefix.
DEMONYMS = {
    "american": "united states", "us": "united states", "u.s.": "united states", "usa": "united states",
    "british": "united kingdom", "uk": "united kingdom", "u.k.": "united kingdom", "britain": "united kingdom",
    "chinese": "china", "french": "france", "dutch": "netherlands", "german": "germany",
    "burmese": "myanmar", "burma": "myanmar", "thai": "thailand", "japanese": "japan",
    "vietnamese": "vietnam", "lao": "laos", "laotian": "laos", "filipino": "philippines",
    "philippine": "philippines", "swiss": "switzerland", "turkish": "turkey", "greek": "greece",
    "israeli": "israel", "iraqi": "iraq", "iranian": "iran", "pakistani": "pakistan", "saudi": "saudi arabia",
    "spanish": "spain", "portuguese": "portugal", "polish": "poland", "danish": "denmark",
    "swedish": "sweden", "finnish": "finland", "norwegian": "norway", "irish": "ireland",
    "moscow": "russia", "kremlin": "russia", "beijing": "china", "washington": "united states",
}

# Nouns that count people ("four political prisoners" → 4 people).
PERSON_NOUNS = frozenset("""
people persons person men women children kids adults students teachers workers employees soldiers troops
civilians prisoners detainees protesters demonstrators activists members officials ministers leaders
residents citizens voters patients doctors nurses victims survivors refugees migrants passengers
journalists reporters police officers policemen fighters militants rebels insurgents delegates diplomats
lawmakers senators candidates supporters opponents staff volunteers suspects hostages inmates tourists
visitors farmers miners athletes players fans experts scientists researchers judges lawyers
individuals adult child man woman boy girl boys girls family families generals
""".split())

NUMBER_WORDS = words.NUMBER_WORDS

# Attitudes PolNeAR counts as attributions, with what they take as content (chosen on PolNeAR dev cues):
# an infinitive ("Clinton wants to sign up 5 million people") ...
INTENT_VERBS = frozenset("want plan hope intend promise vow pledge threaten refuse decline agree seek aim".split())
# ... a "for" phrase ("She called for more school investment") ...
FOR_VERBS = frozenset("call push argue press ask advocate".split())
# ... or an object ("Clinton cited derogatory comments", "called the charges unsubstantiated").
OBJECT_VERBS = frozenset("""
cite support oppose deny criticize criticise praise blast slam condemn reject welcome propose demand
mention discuss acknowledge admit confirm call dismiss defend endorse accuse blame question dispute
indicate suggest show reveal note identify express highlight predict promise
""".split())

# Nouns by which "the X" refers back to an organisation named earlier ("the council", "the ministry").
ORG_HEAD_NOUNS = frozenset("""
ministry council agency bank union court company government party committee commission department
office coalition campaign service board authority corporation firm group alliance federation
""".split())

# Nouns that can hold a view or an intention: the subject of "wants", "called for", "supported" must be one
# of these, a name or a pronoun ("its third meeting planned to be held" is no one's plan).
AGENT_NOUNS = frozenset("""
side sides official officials spokesman spokeswoman spokesperson minister ministers leader leaders
president government administration campaign party lawmakers senator senators critics supporters
opponents experts analysts economists investors activists residents voters union company agency police
prosecutors authorities diplomats negotiators protesters group groups organization organisation
poll polls survey surveys report reports study studies data statement statements document documents
analysis figures records letter filing complaint lawsuit memo ruling court judge jury plan proposal bill
""".split())

# Heads of source phrases that are documents, counts or the media, not someone who speaks ("Previous
# reports", "multiple news outlets", "a new poll"): their quotes are kept, labelled SOURCE (speakers.py).
SOURCE_NOUNS = frozenset("""
report poll survey study data document record analysis figure statistic filing lawsuit complaint indictment
memo email letter website article story book video footage tweet post media research estimate number
evidence investigation transcript release statement ruling review audit model projection forecast account
rumor rumour news suit memoir question query questionnaire
""".split())

# The media: "the newspaper" is the outlet named before it; "multiple news outlets" are no one (SOURCE).
MEDIA_NOUNS = frozenset("newspaper paper daily outlet publication network broadcaster channel site blog magazine "
                        "agency wire tabloid".split())

# Person nouns by which "the X" names someone the article has named ("the four-term congressman").
PERSON_ROLE_NOUNS = frozenset("""
congressman congresswoman senator lawmaker representative candidate nominee contender businessman businesswoman
billionaire mogul executive official officer politician democrat republican lawyer attorney aide adviser advisor
mayor governor president minister secretary diplomat ambassador envoy leader chief chairman chairwoman founder
owner ceo spokesman spokeswoman spokesperson judge prosecutor director commissioner host anchor
actor actress singer star author writer veteran incumbent challenger frontrunner front-runner speaker
man woman father mother son daughter husband wife
""".split())

# English short forms of given names → the full name ("Bob Goodlatte" is "Robert W. Goodlatte"): the common
# ones that stand for one full name (not "Pat", "Ted", "Chris", "Alex", "Sam": two full names each). A short
# form joins the full name only with the same surname, as a transliteration does (name_rules._same_first_names).
NICKNAMES = {
    "bob": "robert", "bobby": "robert", "rob": "robert", "robbie": "robert", "bill": "william", "billy": "william",
    "will": "william", "jim": "james", "jimmy": "james", "mike": "michael", "mick": "michael", "dick": "richard",
    "rick": "richard", "ricky": "richard", "rich": "richard", "tom": "thomas", "tommy": "thomas", "joe": "joseph",
    "dan": "daniel", "danny": "daniel", "dave": "david", "chuck": "charles", "charlie": "charles",
    "liz": "elizabeth", "beth": "elizabeth", "betsy": "elizabeth", "kate": "katherine", "katie": "katherine",
    "tony": "anthony", "jeff": "jeffrey", "pete": "peter", "ben": "benjamin", "bibi": "benjamin", "nick": "nicholas",
    "ed": "edward", "eddie": "edward", "larry": "lawrence", "andy": "andrew", "matt": "matthew", "tim": "timothy",
    "greg": "gregory", "jerry": "gerald", "ron": "ronald", "don": "donald", "jon": "jonathan", "sue": "susan",
    "jenny": "jennifer", "steve": "steven", "newt": "newton", "mitch": "mitchell",
}
