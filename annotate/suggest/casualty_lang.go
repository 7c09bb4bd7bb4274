package suggest

import (
	"sort"
	"strings"
	"unicode/utf8"

	"evident/annotate"
)

// figureLex is what the casualty rules of one language other than English need: number
// words, vague quantity words, qualifiers, victim nouns, death/injury/... words, and the
// words that introduce who says it. Words are lower case; stems match a word's start, so
// one stem covers the inflections ("herid" heridos, heridas; "ранен" ранены, ранения).
type figureLex struct {
	numbers    map[string]int    // number words, inflected forms listed
	hundreds   map[string]bool   // words that multiply what precedes by 100 ("cent", "hundert")
	thousands  map[string]bool   // words that multiply by 1000 ("mil", "тысяч")
	joiners    map[string]bool   // "y", "e", "und", "et", "и": inside a number in words
	vague      map[string]int    // "decenas" 10, "cientos" 100 (qualifier vague)
	round      map[string]int    // "trentaine" 30 (qualifier approx)
	links      map[string]bool   // "de", "di": between a quantity word and its noun
	quals      []qualPhrase      // before the number, longest first in matching
	postQuals  []qualPhrase      // after the figure (Arabic "على الأقل", Hindi "से अधिक")
	victims    []string          // stems of nouns counted
	kinds      map[string]string // stem -> kind
	notKinds   []string          // stems that look like a kind word but are not ("mortier")
	according  [][]string        // phrases before a source ("según", "по данным")
	said       [][]string        // reporting verbs before or after their subject
	sourceSkip map[string]bool   // articles and prepositions skipped before a source
	sourceStop map[string]bool   // words that end a source phrase ("mit", "que")
	yearWords  map[string]bool   // a number before these is a year ("году", "año")
	// kindList is kinds longest stem first, made by newFigureLexes: a slice is searched
	// much faster than a map is iterated, and the first hit is the longest
	kindList []stemKind
}

type stemKind struct{ stem, kind string }

type qualPhrase struct {
	words []string
	q     string
	minus bool // "fewer than N": high is N-1
}

func qp(phrase, q string) qualPhrase {
	return qualPhrase{words: strings.Fields(phrase), q: q}
}

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

func phrases(ps ...string) [][]string {
	out := make([][]string, len(ps))
	for i, p := range ps {
		out[i] = strings.Fields(p)
	}
	return out
}

// figureLexes are the languages' tables, built once by newFigureLexes and read-only.
type figureLexes [nLangs]*figureLex

func newFigureLexes() *figureLexes {
	var x figureLexes
	x[langES] = &figureLex{
		numbers: map[string]int{"dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8, "nueve": 9, "diez": 10,
			"once": 11, "doce": 12, "trece": 13, "catorce": 14, "quince": 15, "dieciséis": 16, "diecisiete": 17, "dieciocho": 18, "diecinueve": 19,
			"veinte": 20, "veintiuno": 21, "veintiún": 21, "veintidós": 22, "veintitrés": 23, "veinticuatro": 24, "veinticinco": 25, "veintiséis": 26,
			"veintisiete": 27, "veintiocho": 28, "veintinueve": 29, "treinta": 30, "cuarenta": 40, "cincuenta": 50, "sesenta": 60, "setenta": 70,
			"ochenta": 80, "noventa": 90, "cien": 100, "ciento": 100, "doscientos": 200, "doscientas": 200, "trescientos": 300, "trescientas": 300,
			"cuatrocientos": 400, "quinientos": 500, "seiscientos": 600, "setecientos": 700, "ochocientos": 800, "novecientos": 900},
		thousands: set("mil"),
		joiners:   set("y"),
		vague:     map[string]int{"decenas": 10, "docenas": 12, "centenares": 100, "cientos": 100, "miles": 1000, "varios": 3, "varias": 3, "numerosos": 3, "numerosas": 3},
		links:     set("de"),
		quals: []qualPhrase{qp("al menos", "at_least"), qp("por lo menos", "at_least"), qp("como mínimo", "at_least"), qp("más de", "more_than"),
			qp("unos", "approx"), qp("unas", "approx"), qp("cerca de", "approx"), qp("alrededor de", "approx"), qp("casi", "approx"),
			qp("aproximadamente", "approx"), qp("hasta", "up_to"), {words: []string{"menos", "de"}, q: "up_to", minus: true}},
		victims: []string{"persona", "civil", "soldado", "militar", "policía", "policias", "policías", "agente", "niño", "niña", "mujer", "hombre",
			"manifestante", "combatiente", "miliciano", "habitante", "vecino", "familia", "periodista", "trabajador", "migrante", "refugiado", "rehén", "otros", "otras", "insurgente", "guerrillero"},
		kinds: map[string]string{"muert": "killed", "muri": "killed", "fallec": "killed", "asesinad": "killed", "matad": "killed", "mataron": "killed", "matando": "killed", "mató": "killed", "ejecutad": "killed",
			"herid": "injured", "lesionad": "injured", "secuestrad": "missing", "desaparecid": "missing", "desplazad": "displaced", "evacuad": "displaced",
			"huyeron": "displaced", "detenid": "detained", "detuv": "detained", "arrestad": "detained", "capturad": "detained"},
		notKinds:   []string{"muerte súbita"},
		according:  phrases("según", "de acuerdo con"),
		said:       phrases("dijo", "informó", "afirmó", "declaró", "señaló", "indicó", "aseguró", "confirmó", "reportó"),
		sourceSkip: set("el", "la", "los", "las", "un", "una", "fuentes"),
		sourceStop: set("que", "en", "este", "a"),
		yearWords:  set("año", "años"),
	}
	x[langFR] = &figureLex{
		numbers: map[string]int{"deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9, "dix": 10,
			"onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16, "vingt": 20, "vingts": 20, "trente": 30,
			"quarante": 40, "cinquante": 50, "soixante": 60, "un": 1, "une": 1},
		hundreds:  set("cent", "cents"),
		thousands: set("mille"),
		joiners:   set("et", "-"),
		vague:     map[string]int{"dizaines": 10, "douzaines": 12, "centaines": 100, "milliers": 1000, "plusieurs": 3, "nombreux": 3, "nombreuses": 3},
		round:     map[string]int{"dizaine": 10, "douzaine": 12, "quinzaine": 15, "vingtaine": 20, "trentaine": 30, "quarantaine": 40, "cinquantaine": 50, "soixantaine": 60, "centaine": 100},
		links:     set("de", "d"),
		quals: []qualPhrase{qp("au moins", "at_least"), qp("au minimum", "at_least"), qp("plus de", "more_than"), qp("plus d", "more_than"),
			qp("environ", "approx"), qp("près de", "approx"), qp("quelque", "approx"), qp("presque", "approx"), qp("quasiment", "approx"),
			qp("jusqu ' à", "up_to"), {words: []string{"moins", "de"}, q: "up_to", minus: true}},
		victims: []string{"personne", "civil", "soldat", "militaire", "gendarme", "policier", "enfant", "femme", "homme", "habitant", "manifestant",
			"combattant", "villageois", "journaliste", "otage", "réfugié", "autres", "jihadiste", "djihadiste", "terroriste", "assaillant", "élève"},
		kinds: map[string]string{"tué": "killed", "tuée": "killed", "tués": "killed", "tuées": "killed", "mort": "killed", "décéd": "killed", "péri": "killed", "abattu": "killed", "tuant": "killed",
			"bless": "injured", "enlev": "missing", "disparu": "missing", "kidnapp": "missing", "fui": "displaced", "déplac": "displaced", "évacu": "displaced",
			"arrêt": "detained", "interpell": "detained", "capturé": "detained"},
		notKinds:   []string{"mortier", "mortel"},
		according:  phrases("selon", "d ' après"),
		said:       phrases("a indiqué", "a déclaré", "a affirmé", "a annoncé", "a précisé", "a dit", "ont indiqué", "ont déclaré", "a rapporté", "a confirmé", "indique", "a ajouté"),
		sourceSkip: set("le", "la", "les", "l", "'", "un", "une", "des"),
		sourceStop: set("que", "qui", "à", "mardi", "lundi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
		yearWords:  set("an", "ans"),
	}
	x[langDE] = &figureLex{
		numbers: map[string]int{"zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10,
			"elf": 11, "zwölf": 12, "dreizehn": 13, "vierzehn": 14, "fünfzehn": 15, "sechzehn": 16, "siebzehn": 17, "achtzehn": 18, "neunzehn": 19,
			"zwanzig": 20, "dreißig": 30, "vierzig": 40, "fünfzig": 50, "sechzig": 60, "siebzig": 70, "achtzig": 80, "neunzig": 90},
		hundreds:  set("hundert"),
		thousands: set("tausend"),
		vague:     map[string]int{"dutzende": 12, "dutzenden": 12, "hunderte": 100, "hunderten": 100, "tausende": 1000, "tausenden": 1000, "mehrere": 3, "zahlreiche": 3, "hunderttausende": 100000, "zehntausende": 10000},
		quals: []qualPhrase{qp("mindestens", "at_least"), qp("wenigstens", "at_least"), qp("mehr als", "more_than"), qp("über", "more_than"),
			qp("rund", "approx"), qp("etwa", "approx"), qp("ungefähr", "approx"), qp("fast", "approx"), qp("knapp", "approx"), qp("annähernd", "approx"),
			qp("bis zu", "up_to"), {words: []string{"weniger", "als"}, q: "up_to", minus: true}},
		victims: []string{"mensch", "person", "zivilist", "soldat", "polizist", "kind", "frau", "männer", "bewohner", "demonstrant", "kämpfer",
			"einwohner", "journalist", "geisel", "weitere", "andere", "dorfbewohner", "sicherheitskräfte", "passagier"},
		kinds: map[string]string{"getötet": "killed", "tötet": "killed", "tot": "killed", "tote": "killed", "toten": "killed", "starb": "killed", "gestorben": "killed", "umgekommen": "killed",
			"ermordet": "killed", "todesopfer": "killed", "leben": "killed", "verletz": "injured", "verwundet": "injured", "entführt": "missing",
			"vermisst": "missing", "verschlepp": "missing", "flohen": "displaced", "geflohen": "displaced", "vertrieben": "displaced", "evakuiert": "displaced",
			"festgenommen": "detained", "verhaftet": "detained", "gefangen": "detained"},
		notKinds:   []string{"totale", "total"},
		according:  phrases("laut", "nach angaben", "zufolge", "berichten zufolge"),
		said:       phrases("sagte", "teilte", "erklärte", "berichtete", "bestätigte", "meldete", "hieß es"),
		sourceSkip: set("der", "die", "das", "des", "dem", "den", "ein", "eine", "einer", "eines"),
		sourceStop: set("mit", "am", "dass", "in", "auf"),
		yearWords:  set("jahr", "jahre", "jahren"),
	}
	x[langIT] = &figureLex{
		numbers: map[string]int{"due": 2, "tre": 3, "quattro": 4, "cinque": 5, "sei": 6, "sette": 7, "otto": 8, "nove": 9, "dieci": 10,
			"undici": 11, "dodici": 12, "tredici": 13, "quattordici": 14, "quindici": 15, "sedici": 16, "diciassette": 17, "diciotto": 18,
			"diciannove": 19, "venti": 20, "ventuno": 21, "ventidue": 22, "ventitré": 23, "trenta": 30, "quaranta": 40, "cinquanta": 50,
			"sessanta": 60, "settanta": 70, "ottanta": 80, "novanta": 90, "cento": 100, "duecento": 200, "trecento": 300},
		thousands: set("mille", "mila"),
		vague:     map[string]int{"decine": 10, "centinaia": 100, "migliaia": 1000, "diversi": 3, "diverse": 3, "numerosi": 3, "numerose": 3, "alcuni": 3, "alcune": 3},
		round:     map[string]int{"decina": 10, "dozzina": 12, "quindicina": 15, "ventina": 20, "trentina": 30, "quarantina": 40, "cinquantina": 50, "centinaio": 100},
		links:     set("di"),
		quals: []qualPhrase{qp("almeno", "at_least"), qp("più di", "more_than"), qp("oltre", "more_than"), qp("circa", "approx"), qp("quasi", "approx"),
			qp("fino a", "up_to"), {words: []string{"meno", "di"}, q: "up_to", minus: true}},
		victims: []string{"persone", "persona", "civil", "soldat", "militar", "poliziott", "agenti", "bambin", "donne", "uomini", "manifestant",
			"abitant", "combattent", "giornalist", "ostagg", "altri", "altre", "migranti", "miliziani", "carabinieri"},
		kinds: map[string]string{"mort": "killed", "uccis": "killed", "uccid": "killed", "decedut": "killed", "vittime": "killed", "vita": "killed", "ferit": "injured",
			"rapit": "missing", "sequestrat": "missing", "dispers": "missing", "sfollat": "displaced", "evacuat": "displaced", "fuggit": "displaced",
			"arrestat": "detained", "fermat": "detained", "detenut": "detained"},
		notKinds:   []string{"mortai", "mortal"},
		according:  phrases("secondo"),
		said:       phrases("ha detto", "ha riferito", "ha dichiarato", "ha affermato", "ha annunciato", "ha confermato", "hanno riferito", "riferisce"),
		sourceSkip: set("il", "lo", "la", "i", "gli", "le", "l", "'", "un", "una"),
		sourceStop: set("che", "a", "in"),
		yearWords:  set("anno", "anni"),
	}
	x[langPT] = &figureLex{
		numbers: map[string]int{"dois": 2, "duas": 2, "três": 3, "quatro": 4, "cinco": 5, "seis": 6, "sete": 7, "oito": 8, "nove": 9, "dez": 10,
			"onze": 11, "doze": 12, "treze": 13, "catorze": 14, "quatorze": 14, "quinze": 15, "dezesseis": 16, "dezasseis": 16, "dezessete": 17,
			"dezassete": 17, "dezoito": 18, "dezenove": 19, "dezanove": 19, "vinte": 20, "trinta": 30, "quarenta": 40, "cinquenta": 50,
			"sessenta": 60, "setenta": 70, "oitenta": 80, "noventa": 90, "cem": 100, "cento": 100, "duzentos": 200, "duzentas": 200, "trezentos": 300},
		thousands: set("mil"),
		joiners:   set("e"),
		vague:     map[string]int{"dezenas": 10, "centenas": 100, "milhares": 1000, "vários": 3, "várias": 3, "diversos": 3, "diversas": 3},
		links:     set("de"),
		quals: []qualPhrase{qp("pelo menos", "at_least"), qp("ao menos", "at_least"), qp("no mínimo", "at_least"), qp("mais de", "more_than"),
			qp("cerca de", "approx"), qp("quase", "approx"), qp("aproximadamente", "approx"), qp("perto de", "approx"), qp("até", "up_to"),
			{words: []string{"menos", "de"}, q: "up_to", minus: true}},
		victims: []string{"pessoa", "civis", "civil", "soldado", "militar", "militares", "policia", "polícia", "agente", "criança", "mulher", "mulheres", "homens",
			"manifestant", "morador", "habitant", "combatent", "jornalist", "refém", "reféns", "outros", "outras", "migrant"},
		kinds: map[string]string{"mort": "killed", "morre": "killed", "morr": "killed", "matou": "killed", "mataram": "killed", "matando": "killed", "assassinad": "killed", "falec": "killed", "ferid": "injured",
			"sequestrad": "missing", "desaparecid": "missing", "raptad": "missing", "deslocad": "displaced", "desalojad": "displaced",
			"evacuad": "displaced", "fugiram": "displaced", "detid": "detained", "presos": "detained", "capturad": "detained"},
		notKinds:   []string{"morteiro"},
		according:  phrases("segundo", "de acordo com"),
		said:       phrases("disse", "informou", "afirmou", "declarou", "confirmou", "relatou", "anunciou"),
		sourceSkip: set("o", "a", "os", "as", "um", "uma", "fontes"),
		sourceStop: set("que", "em", "à"),
		yearWords:  set("ano", "anos"),
	}
	ruNums := map[string]int{"два": 2, "две": 2, "двух": 2, "три": 3, "трех": 3, "трёх": 3, "четыре": 4, "четырех": 4, "четырёх": 4,
		"пять": 5, "пяти": 5, "шесть": 6, "шести": 6, "семь": 7, "семи": 7, "восемь": 8, "восьми": 8, "девять": 9, "девяти": 9, "десять": 10, "десяти": 10,
		"одиннадцать": 11, "одиннадцати": 11, "двенадцать": 12, "двенадцати": 12, "тринадцать": 13, "тринадцати": 13, "четырнадцать": 14,
		"пятнадцать": 15, "пятнадцати": 15, "шестнадцать": 16, "семнадцать": 17, "восемнадцать": 18, "девятнадцать": 19,
		"двадцать": 20, "двадцати": 20, "тридцать": 30, "тридцати": 30, "сорок": 40, "сорока": 40, "пятьдесят": 50, "пятидесяти": 50,
		"шестьдесят": 60, "семьдесят": 70, "восемьдесят": 80, "девяносто": 90, "сто": 100, "ста": 100, "двести": 200, "триста": 300,
		"двое": 2, "двоих": 2, "трое": 3, "троих": 3, "четверо": 4, "четверых": 4, "пятеро": 5, "пятерых": 5, "шестеро": 6, "шестерых": 6,
		"семеро": 7, "семерых": 7, "восьмеро": 8, "девятеро": 9, "десятеро": 10}
	x[langRU] = &figureLex{
		numbers:   ruNums,
		thousands: set("тысяча", "тысячи", "тысяч"),
		vague:     map[string]int{"десятки": 10, "десятков": 10, "сотни": 100, "сотен": 100, "тысячи": 1000, "тысяч": 1000, "несколько": 3, "нескольких": 3},
		quals: []qualPhrase{qp("не менее", "at_least"), qp("по меньшей мере", "at_least"), qp("как минимум", "at_least"), qp("минимум", "at_least"),
			qp("более чем", "more_than"), qp("более", "more_than"), qp("больше", "more_than"), qp("свыше", "more_than"), qp("около", "approx"),
			qp("почти", "approx"), qp("порядка", "approx"), qp("примерно", "approx"), qp("до", "up_to"), {words: []string{"менее"}, q: "up_to", minus: true}},
		victims: []string{"человек", "людей", "люди", "мирн", "жител", "военн", "солдат", "полицейск", "детей", "ребен", "ребён", "женщин", "мужчин",
			"боевик", "граждан", "силовик", "журналист", "заложник", "бойц", "сотрудник"},
		kinds: map[string]string{"погиб": "killed", "убит": "killed", "убил": "killed", "убив": "killed", "убиты": "killed", "жертв": "killed", "смерт": "killed", "скончал": "killed",
			"ранен": "injured", "ранени": "injured", "пострада": "injured", "травм": "injured", "похищ": "missing", "пропал": "missing", "пропавш": "missing",
			"эвакуир": "displaced", "бежал": "displaced", "беженц": "displaced", "задержан": "detained", "арестован": "detained", "задержа": "detained"},
		according:  phrases("по данным", "по словам", "по информации", "как сообщил", "как сообщили", "согласно"),
		said:       phrases("сообщил", "сообщила", "сообщили", "заявил", "заявила", "заявили", "сказал", "сказала", "рассказал", "рассказали", "передает", "передаёт"),
		sourceSkip: set("в"),
		sourceStop: set("что", "о", "об", "на"),
		yearWords:  set("году", "год", "года"),
	}
	x[langUK] = &figureLex{
		numbers: map[string]int{"два": 2, "дві": 2, "двох": 2, "три": 3, "трьох": 3, "чотири": 4, "чотирьох": 4, "п'ять": 5, "п'яти": 5,
			"шість": 6, "шести": 6, "сім": 7, "семи": 7, "вісім": 8, "восьми": 8, "дев'ять": 9, "дев'яти": 9, "десять": 10, "десяти": 10,
			"одинадцять": 11, "дванадцять": 12, "тринадцять": 13, "чотирнадцять": 14, "п'ятнадцять": 15, "шістнадцять": 16, "сімнадцять": 17,
			"вісімнадцять": 18, "дев'ятнадцять": 19, "двадцять": 20, "тридцять": 30, "сорок": 40, "п'ятдесят": 50, "шістдесят": 60,
			"сімдесят": 70, "вісімдесят": 80, "дев'яносто": 90, "сто": 100, "двісті": 200, "триста": 300,
			"двоє": 2, "троє": 3, "четверо": 4, "п'ятеро": 5, "шестеро": 6, "семеро": 7, "восьмеро": 8, "дев'ятеро": 9, "десятеро": 10},
		thousands: set("тисяча", "тисячі", "тисяч"),
		vague:     map[string]int{"десятки": 10, "десятків": 10, "сотні": 100, "сотень": 100, "тисячі": 1000, "тисяч": 1000, "кілька": 3, "декілька": 3, "кількох": 3},
		quals: []qualPhrase{qp("щонайменше", "at_least"), qp("не менше", "at_least"), qp("принаймні", "at_least"), qp("мінімум", "at_least"),
			qp("понад", "more_than"), qp("більш ніж", "more_than"), qp("більше ніж", "more_than"), qp("більше", "more_than"), qp("близько", "approx"),
			qp("майже", "approx"), qp("приблизно", "approx"), qp("до", "up_to"), {words: []string{"менше", "ніж"}, q: "up_to", minus: true}},
		victims: []string{"людей", "люди", "людин", "осіб", "особи", "цивільн", "мирн", "жител", "мешканц", "військов", "солдат", "поліцейськ",
			"дітей", "дитин", "жінок", "чоловік", "бойовик", "журналіст", "заручник", "бійц", "рятувальник"},
		kinds: map[string]string{"загин": "killed", "загиб": "killed", "вбил": "killed", "вбив": "killed", "вбит": "killed", "вбито": "killed", "убит": "killed", "жертв": "killed", "смерт": "killed", "помер": "killed",
			"поранен": "injured", "поранення": "injured", "травмован": "injured", "постражд": "injured", "зник": "missing", "викрад": "missing",
			"евакуйов": "displaced", "евакуац": "displaced", "затриман": "detained", "арештован": "detained", "затрима": "detained"},
		according:  phrases("за даними", "за словами", "за інформацією", "як повідомив", "як повідомили", "згідно з"),
		said:       phrases("повідомив", "повідомила", "повідомили", "заявив", "заявила", "заявили", "сказав", "сказала", "розповів", "розповіли"),
		sourceSkip: set("в", "у"),
		sourceStop: set("що", "про", "на"),
		yearWords:  set("році", "рік", "року"),
	}
	x[langAR] = &figureLex{
		numbers: map[string]int{"واحد": 1, "اثنان": 2, "اثنين": 2, "اثنتين": 2, "اثنا": 2, "ثلاثة": 3, "ثلاث": 3, "أربعة": 4, "أربع": 4,
			"خمسة": 5, "خمس": 5, "ستة": 6, "ست": 6, "سبعة": 7, "سبع": 7, "ثمانية": 8, "ثماني": 8, "تسعة": 9, "تسع": 9, "عشرة": 10, "عشر": 10,
			"عشرون": 20, "عشرين": 20, "ثلاثون": 30, "ثلاثين": 30, "أربعون": 40, "أربعين": 40, "خمسون": 50, "خمسين": 50, "ستون": 60, "ستين": 60,
			"سبعون": 70, "سبعين": 70, "ثمانون": 80, "ثمانين": 80, "تسعون": 90, "تسعين": 90, "مئة": 100, "مائة": 100, "مئتي": 200, "مئتين": 200},
		thousands: set("ألف", "آلاف", "الآلاف", "الاف", "ألفا"),
		vague:     map[string]int{"عشرات": 10, "مئات": 100, "آلاف": 1000, "عدة": 3},
		quals: []qualPhrase{qp("ما لا يقل عن", "at_least"), qp("لا يقل عن", "at_least"), qp("أكثر من", "more_than"), qp("اكثر من", "more_than"),
			qp("نحو", "approx"), qp("حوالي", "approx"), qp("حوالى", "approx"), qp("قرابة", "approx"), qp("زهاء", "approx"), qp("ما يقارب", "approx"),
			qp("ما يصل إلى", "up_to"), qp("ما يصل الى", "up_to"), {words: []string{"أقل", "من"}, q: "up_to", minus: true}},
		postQuals: []qualPhrase{qp("على الأقل", "at_least"), qp("على الاقل", "at_least")},
		victims: []string{"شخص", "أشخاص", "مدني", "جند", "جنود", "عسكري", "شرطي", "طفل", "أطفال", "امرأة", "نساء", "مسلح", "متظاهر",
			"آخر", "مواطن", "عنصر", "عناصر", "مقاتل", "صحفي", "فلسطيني", "سوري", "مهاجر"},
		kinds: map[string]string{"قتل": "killed", "مقتل": "killed", "قتيل": "killed", "استشهد": "killed", "شهيد": "killed", "شهداء": "killed", "حتف": "killed",
			"مصرع": "killed", "أصيب": "injured", "اصيب": "injured", "إصابة": "injured", "اصابة": "injured", "مصاب": "injured", "جرح": "injured", "جريح": "injured",
			"اختطف": "missing", "خطف": "missing", "مفقود": "missing", "نزح": "displaced", "نازح": "displaced", "تهجير": "displaced", "اعتقل": "detained",
			"اعتقال": "detained", "احتجز": "detained"},
		according:  phrases("بحسب", "حسب", "وفقا", "وفق", "نقلا عن"),
		said:       phrases("قال", "قالت", "أعلن", "أعلنت", "أفاد", "أفادت", "ذكر", "ذكرت", "أكد", "أكدت"),
		sourceStop: set("إن", "ان", "أن", "في", "على", "عن"),
		yearWords:  set("عام", "سنة"),
	}
	x[langHI] = &figureLex{
		numbers:   map[string]int{"दो": 2, "तीन": 3, "चार": 4, "पांच": 5, "पाँच": 5, "छह": 6, "सात": 7, "आठ": 8, "नौ": 9, "दस": 10, "बीस": 20},
		hundreds:  set("सौ"),
		thousands: set("हज़ार", "हजार"),
		vague:     map[string]int{"दर्जनों": 12, "सैकड़ों": 100, "हज़ारों": 1000, "हजारों": 1000, "कई": 3},
		quals:     []qualPhrase{qp("कम से कम", "at_least"), qp("लगभग", "approx"), qp("करीब", "approx"), qp("क़रीब", "approx")},
		postQuals: []qualPhrase{qp("से अधिक", "more_than"), qp("से ज्यादा", "more_than"), qp("से ज़्यादा", "more_than")},
		victims:   []string{"लोग", "लोगों", "व्यक्ति", "नागरिक", "जवान", "जवानों", "सैनिक", "पुलिसकर्मी", "बच्चे", "बच्चों", "महिला", "आतंकी", "नक्सली"},
		kinds: map[string]string{"मारे": "killed", "मौत": "killed", "मृत": "killed", "हत्या": "killed", "घायल": "injured", "जख्मी": "injured", "ज़ख्मी": "injured",
			"लापता": "missing", "अपहरण": "missing", "गिरफ्तार": "detained", "गिरफ़्तार": "detained", "हिरासत": "detained", "विस्थापित": "displaced"},
		according: phrases("के अनुसार"),
		said:      phrases("ने बताया", "ने कहा"),
	}
	for _, lx := range x {
		if lx == nil {
			continue
		}
		for stem, k := range lx.kinds {
			lx.kindList = append(lx.kindList, stemKind{stem, k})
		}
		sort.Slice(lx.kindList, func(i, j int) bool {
			a, b := lx.kindList[i], lx.kindList[j]
			return len(a.stem) > len(b.stem) || len(a.stem) == len(b.stem) && a.stem < b.stem
		})
	}
	return &x
}

// riseStems are verbs of a toll rising ("rose to N"), after which "до" is no bound.
var riseStems = []string{"вырос", "возрос", "увеличил", "достиг", "зрос", "збільшил", "досягл"}

// arabicStem drops the proclitics an Arabic word may carry ("و" and, "ف" so, "ب" by,
// "ل" for, "ال" the), so "وأصيب", "والجرحى" and "للدفاع" find their stems.
func arabicStem(w string) string {
	for k := 0; k < 2; k++ {
		r, n := utf8.DecodeRuneInString(w)
		if (r == 'و' || r == 'ف' || r == 'ب' || r == 'ل') && utf8.RuneCountInString(w) > 3 {
			w = w[n:]
			continue
		}
		break
	}
	if strings.HasPrefix(w, "ال") && utf8.RuneCountInString(w) > 3 {
		w = w[len("ال"):]
	}
	return w
}

// lexWord is the form of token i the tables are keyed by: lower case, with a Ukrainian
// word written with an apostrophe ("п'ять") joined, and Arabic proclitics dropped. end is
// the token after the word.
func (d *doc) lexWord(i int, lang uint8) (string, int) {
	w := d.lw(i)
	toks := d.toks
	if lang == langUK && i+2 < len(toks) && d.lw(i+1) == "'" && !toks[i+1].space && !toks[i+2].space && toks[i+2].kind == kWord {
		return w + "'" + d.lw(i+2), i + 3
	}
	if lang == langAR {
		return arabicStem(w), i + 1
	}
	return w, i + 1
}

func hasStem(w string, stems []string) bool {
	for _, s := range stems {
		if strings.HasPrefix(w, s) {
			return true
		}
	}
	return false
}

// kindOf is the casualty kind a word names in lx, or "".
func (lx *figureLex) kindOf(w string) string {
	if hasStem(w, lx.notKinds) {
		return ""
	}
	for _, sk := range lx.kindList {
		if strings.HasPrefix(w, sk.stem) {
			return sk.kind
		}
	}
	return ""
}

// localDigits reads a run of digits in any script (ASCII, Arabic-Indic, extended
// Arabic-Indic, Devanagari); ok is false on anything else.
func localDigits(s string) (int, bool) {
	v, n := 0, 0
	for _, r := range s {
		var dgt int
		switch {
		case r >= '0' && r <= '9':
			dgt = int(r - '0')
		case r >= '٠' && r <= '٩':
			dgt = int(r - '٠')
		case r >= '۰' && r <= '۹':
			dgt = int(r - '۰')
		case r >= '०' && r <= '९':
			dgt = int(r - '०')
		default:
			return 0, false
		}
		v = v*10 + dgt
		n++
		if n > 9 {
			return 0, false
		}
	}
	return v, n > 0
}

// foreignDigits reads the figure in digits at token i under the language's separators:
// "1.200" and "1,200" (a group of three after the separator is thousands), "1 200" and
// "2 300" (groups split by a space, a no-break or a thin space), Arabic "١٬٢٠٠". A decimal
// ("1,5") is no head count.
func (d *doc) foreignDigits(i int) (val, end int, ok bool) {
	toks := d.toks
	s := d.lw(i)
	v := 0
	for k, part := range strings.FieldsFunc(s, func(r rune) bool { return r == '.' || r == ',' }) {
		pv, ok := localDigits(part)
		if !ok || k > 0 && utf8.RuneCountInString(part) != 3 {
			return 0, 0, false
		}
		v = v*1000 + pv
	}
	end = i + 1
	first := utf8.RuneCountInString(s)
	for end < len(toks) && toks[end].sent == toks[i].sent && toks[end].kind == kNum && first <= 3 && !strings.ContainsAny(s, ".,") {
		// "2 300": a space-separated group of exactly three digits (up to a billion)
		g := d.lw(end)
		gv, ok := localDigits(g)
		if !ok || utf8.RuneCountInString(g) != 3 || !toks[end].space || v >= 1000000 {
			break
		}
		v = v*1000 + gv
		end++
	}
	for end+1 < len(toks) && (d.lw(end) == "٬" || d.lw(end) == "'") && !toks[end].space && toks[end+1].kind == kNum && !toks[end+1].space && v < 1000000 {
		g := d.lw(end + 1)
		gv, ok := localDigits(g)
		if !ok || utf8.RuneCountInString(g) != 3 {
			break
		}
		v = v*1000 + gv
		end += 2
	}
	return v, end, true
}

// foreignNumber reads a number at token i in lx's language: digits, number words ("cuarenta
// y dos", "dix-huit", "ثلاثة وعشرون", "п'ять"), a vague word ("decenas", "des centaines de
// milliers") or a round count ("une trentaine"). qual is "vague", "approx" or "".
func (d *doc) foreignNumber(i int, lang uint8, lx *figureLex) (n number, qual string, ok bool) {
	toks := d.toks
	if i >= len(toks) {
		return n, "", false
	}
	n.a = i
	if toks[i].kind == kNum {
		v, end, ok := d.foreignDigits(i)
		if !ok || v == 0 || strings.HasPrefix(d.lw(i), "0") {
			return n, "", false // "000" is a group left over, not a count
		}
		n.val, n.b = v, end
		if j := end; j < len(toks) && toks[j].sent == toks[i].sent && lx.thousands[d.lw(j)] {
			n.val, n.b = v*1000, j+1 // "5 mil", "3 тысячи"
		}
		return n, "", true
	}
	w, end := d.lexWord(i, lang)
	sent := toks[i].sent
	same := func(j int) bool { return j < len(toks) && toks[j].sent == sent }
	// "une trentaine de", "una decina di"
	if v, ok := lx.round[w]; ok {
		n.val, n.b = v, end
		return n, "approx", true
	}
	if in(w, "une", "una", "uma", "un") && same(end) {
		if v, ok := lx.round[d.lw(end)]; ok {
			n.val, n.b = v, end+1
			return n, "approx", true
		}
	}
	if v, ok := lx.vague[w]; ok && !(in(w, "тысячи", "тысяч", "тисячі", "тисяч", "آلاف") && i > 0 && toks[i-1].kind == kNum) {
		n.val, n.b, n.vague = v, end, true
		// "des centaines de milliers", "cientos de miles", "сотни тысяч", "مئات الآلاف"
		j := end
		if same(j) && lx.links[d.lw(j)] {
			j++
		}
		if same(j) {
			if t, _ := d.lexWord(j, lang); lx.thousands[t] || lx.vague[t] == 1000 {
				n.val, n.b = v*1000, j+1
			}
		}
		return n, "vague", true
	}
	// number words
	total, cur, any := 0, 0, false
	j := i
	for same(j) {
		t, e := d.lexWord(j, lang)
		if lang == langAR && j > i {
			// "ثلاثة وعشرون": the joiner is a proclitic "و"
			if r, sz := utf8.DecodeRuneInString(d.lw(j)); r == 'و' {
				if v, ok := lx.numbers[d.lw(j)[sz:]]; ok && v >= 20 && v < 100 && cur < 10 {
					cur += v
					j = e
					continue
				}
			}
			if t == "عشر" || t == "عشرة" {
				if cur > 0 && cur < 10 {
					cur += 10 // "خمسة عشر" 15
					j = e
					continue
				}
			}
		}
		switch {
		case lang == langDE && strings.Contains(t, "und") && !any:
			// "einundzwanzig"
			u, tens, _ := strings.Cut(t, "und")
			uv, ok1 := lx.numbers[u]
			if u == "ein" {
				uv, ok1 = 1, true
			}
			tv, ok2 := lx.numbers[tens]
			if !ok1 || !ok2 || tv < 20 || uv >= 10 {
				break
			}
			cur, any, j = uv+tv, true, e
			continue
		case lang == langFR && t == "quatre" && same(j+2) && d.lw(j+1) == "-" && strings.HasPrefix(d.lw(j+2), "vingt"):
			cur, any, j = cur+80, true, j+3 // "quatre-vingt(s)"
			continue
		case lx.hundreds[t] && any:
			cur = max(cur, 1) * 100
			j = e
			continue
		case lx.thousands[t] && any:
			total += max(cur, 1) * 1000
			cur, j = 0, e
			continue
		case lx.joiners[t] && any && same(e):
			// "cuarenta y dos", "dix-huit", "vingt et un": the next word must be a number
			nt, _ := d.lexWord(e, lang)
			if v, ok := lx.numbers[nt]; ok && v < cur {
				j = e
				continue
			}
		}
		v, ok := lx.numbers[t]
		if !ok || any && v >= cur && cur > 0 && v < 100 {
			break
		}
		if lang == langFR && v == 1 && !any {
			break // "un", "une" alone is an article
		}
		cur += v
		any = true
		j = e
	}
	if !any {
		return n, "", false
	}
	n.val, n.b, n.word = total+cur, j, true
	return n, "", true
}

// matchPhrase reports whether phrase p (lower-case words; "'" for an apostrophe token)
// starts at token i of the sentence, and the token after it.
func (d *doc) matchPhrase(i int, lang uint8, p []string) (int, bool) {
	j := i
	for _, w := range p {
		if j >= len(d.toks) || d.toks[j].sent != d.toks[i].sent {
			return 0, false
		}
		t, e := d.lexWord(j, lang)
		if t != w && d.lw(j) != w {
			return 0, false
		}
		j = e
	}
	return j, true
}

// findForeignCasualties finds casualty figures in the sentences detected as Spanish,
// French, German, Italian, Portuguese, Russian, Ukrainian, Arabic or Hindi, and the
// sources that state them, with the labels and attributes English figures have.
func (d *doc) findForeignCasualties(langs []uint8) {
	var lexes *figureLexes
	var kindBuf []string // kind words of a sentence, reused: a sentence has at most 250 tokens
	toks := d.toks
	for lo := 0; lo < len(toks); {
		hi := lo
		for hi < len(toks) && toks[hi].sent == toks[lo].sent {
			hi++
		}
		if l := langs[toks[lo].sent]; l != langEN {
			if lexes == nil {
				lexes = d.s.figs
			}
			if cap(kindBuf) < hi-lo {
				kindBuf = make([]string, hi-lo, max(hi-lo, 256))
			}
			d.foreignSources(lo, hi, l, lexes[l])
			d.foreignFigures(lo, hi, l, lexes[l], kindBuf[:hi-lo])
		}
		lo = hi
	}
}

// foreignFigures finds the figures of the sentence [lo, hi) in language lang.
func (d *doc) foreignFigures(lo, hi int, lang uint8, lx *figureLex, kindAt []string) {
	anyKind := false
	for i := lo; i < hi; i++ {
		kindAt[i-lo] = "" // the buffer holds the last sentence's
		if d.toks[i].kind == kWord {
			w, _ := d.lexWord(i, lang)
			kindAt[i-lo] = lx.kindOf(w)
			if kindAt[i-lo] == "killed" && in(w, "leben", "vida", "vita") && !in(d.prevWord(i), "ums", "la", "a", "sin") {
				kindAt[i-lo] = "" // "ums Leben kommen", "perdieron la vida": not "Leben" alone
			}
			anyKind = anyKind || kindAt[i-lo] != ""
		}
	}
	if !anyKind {
		return
	}
	for i := lo; i < hi; i++ {
		start, qual, minus := i, "", false
		numAt := i
		for _, q := range lx.quals {
			if e, ok := d.matchPhrase(i, lang, q.words); ok {
				qual, minus, numAt = q.q, q.minus, e
				break
			}
		}
		if in(d.lw(i), "des", "les") && lang == langFR {
			numAt = i + 1 // "des dizaines de", "des centaines de"
		}
		if qual == "up_to" && i > lo && hasStem(d.lw(i-1), riseStems) {
			// "выросло до 19", "зросла до 14": the toll rose to a number, no bound
			start, qual = numAt, ""
		}
		if numAt >= hi {
			continue
		}
		n, nq, ok := d.foreignNumber(numAt, lang, lx)
		if !ok {
			continue
		}
		if numAt == i+1 && qual == "" {
			if nq == "" {
				continue // "des 12" is no figure
			}
		}
		if qual == "" {
			qual = nq
		}
		if qual == "" {
			qual = "exact"
		}
		end := n.b
		// a range: "entre 20 y 30", "от 20 до 30", "zwischen 20 und 30"
		if in(d.lw(i), "entre", "zwischen", "tra", "від", "от", "между", "بين") && qual == "exact" {
			start = i
		}
		if !n.vague && !n.word && n.val >= 1900 && n.val <= 2100 && utf8.RuneCountInString(d.lw(numAt)) == 4 {
			if end < hi && lx.yearWords[d.lw(end)] || numAt > lo && in(d.lw(numAt-1), "en", "in", "im", "в", "у", "nel", "em", "de", "عام", "since", "desde", "seit", "depuis", "dal", "з") {
				continue
			}
		}
		if end < hi && d.toks[end].kind == kPunct && in(d.lw(end), "%", "€", "$", ":") {
			continue
		}
		// the counted noun: "12 civiles", "decenas de muertos", "мирных жителей", "i morti"
		spanEnd, kind, noun := end, "", false
		j := end
		if j < hi && lx.links[d.lw(j)] {
			j++
		}
		if j < hi && in(d.lw(j), "i", "gli", "le", "los", "las") && j+1 < hi && kindAt[j+1-lo] != "" {
			j++ // "almeno 40 i morti"
		}
		for k := 0; k < 2 && j < hi && d.toks[j].kind == kWord; k++ {
			w, e := d.lexWord(j, lang)
			if kk := kindAt[j-lo]; kk != "" && !hasStem(w, lx.victims) {
				// "1.200 heridos", "40 Tote", "2 300 morts": the noun is the kind; a verb
				// ("3 погибли", "cinco murieron") stays out of the span
				if k == 0 && d.kindNoun(j, w, lang) {
					kind, spanEnd, noun = kk, e, true
				}
				break
			}
			if !hasStem(w, lx.victims) {
				break
			}
			noun, spanEnd, j = true, e, e
		}
		for _, q := range lx.postQuals {
			if e, ok := d.matchPhrase(spanEnd, lang, q.words); ok && qual == "exact" {
				qual, spanEnd = q.q, e
				break
			}
		}
		if kind == "" {
			kind = nearestKind(d, kindAt, lo, hi, start, spanEnd, !noun, lang == langAR)
		}
		if kind == "" {
			i = spanEnd - 1
			continue
		}
		c := &annotate.Casualty{Kind: kind, Qualifier: qual, Scope: "incident"}
		c.Low, c.High = figureBounds(qual, n.val, n.val, minus)
		c.Victims = []string{"people"}
		d.add(cand{a: start, b: spanEnd, label: "CASUALTY", origin: casualtyOrigin(qual), cas: c})
		i = spanEnd - 1
	}
}

// nearestKind is the kind word governing a figure over tokens [a, b) of the sentence
// [lo, hi): the nearest, a comma costing as much as four words. A predicate just after
// the figure ("plusieurs autres ont été blessés") wins over an earlier clause's verb
// unless that verb touches the figure ("murieron 12 personas"); in Arabic, which puts the
// verb first ("قتل 15 شخصا وأصيب 40"), the verb before wins a tie. A bare number (no
// noun) needs its kind word close by.
func nearestKind(d *doc, kindAt []string, lo, hi, a, b int, bare, verbFirst bool) string {
	const comma = 4
	best, bestD := "", 1<<30
	after := -1
	dist := 0
	for j := b; j < hi && dist <= 12; j++ {
		if kindAt[j-lo] != "" {
			best, bestD, after = kindAt[j-lo], dist, dist
			break
		}
		dist++
		if d.lw(j) == "," || d.lw(j) == "،" || d.lw(j) == ";" {
			dist += comma
		}
	}
	dist = 0
	for j := a - 1; j >= lo && dist <= 12; j-- {
		if kindAt[j-lo] != "" {
			closeAfter := after >= 0 && after <= 3 && dist > 0 && !verbFirst
			if dist < bestD && !closeAfter || verbFirst && dist <= bestD {
				best, bestD = kindAt[j-lo], dist
			}
			break
		}
		dist++
		if d.lw(j) == "," || d.lw(j) == "،" || d.lw(j) == ";" {
			dist += comma
		}
	}
	if bare && bestD > 5 {
		return ""
	}
	return best
}

// foreignSources marks who says it in a sentence of another language: the words after
// "según", "selon", "laut", "по данным", "بحسب" ..., and the subject after (or, in
// Hindi, before) a reporting verb ("dijo el alcalde", "сообщили в МЧС", "قال مصدر أمني").
func (d *doc) foreignSources(lo, hi int, lang uint8, lx *figureLex) {
	for i := lo; i < hi; i++ {
		for g, group := range [2][][]string{lx.according, lx.said} {
			for _, p := range group {
				e, ok := d.matchPhrase(i, lang, p)
				if !ok {
					continue
				}
				origin := "rule:source.said"
				if g == 0 {
					origin = "rule:source.according"
				}
				if lang == langHI {
					// "पुलिस ने बताया": the subject is before the verb
					a := i
					for a > lo && i-a < 3 && d.toks[a-1].kind == kWord {
						a--
					}
					if a < i {
						d.add(cand{a: a, b: i, label: "SOURCE", origin: origin})
					}
					continue
				}
				a, b := d.foreignSourceAfter(e, hi, lang, lx)
				if a < b {
					d.add(cand{a: a, b: b, label: "SOURCE", origin: origin})
					i = b - 1
				}
			}
		}
	}
}

// foreignSourceAfter reads a source phrase starting at token j: articles skipped, then up
// to six words, ending at punctuation, a number, a kind word or a stop word.
func (d *doc) foreignSourceAfter(j, hi int, lang uint8, lx *figureLex) (int, int) {
	toks := d.toks
	for j < hi && lx.sourceSkip[d.lw(j)] {
		j++
	}
	a, b := j, j
	for k := 0; j < hi && k < 6; k++ {
		t := &toks[j]
		w := d.lw(j)
		if t.kind == kNum || lx.sourceStop[w] {
			break
		}
		if t.kind == kPunct && !(w == "'" && !t.space && j+1 < hi && !toks[j+1].space) && !(w == "-" && !t.space) {
			break
		}
		if t.kind == kWord {
			if lw, _ := d.lexWord(j, lang); lx.kindOf(lw) != "" && j > a {
				break
			}
		}
		j++
		if t.kind == kWord {
			b = j
		}
	}
	return a, b
}

// kindNoun reports whether the kind word w at token i is a noun counted by the figure
// before it ("heridos", "morts", "Tote", "погибших", "قتيلا") rather than a verb: by the
// endings of the language (plural adjectival nouns; German nouns are capitalised).
func (d *doc) kindNoun(i int, w string, lang uint8) bool {
	switch lang {
	case langES, langPT, langFR:
		return strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ron") && !strings.HasSuffix(w, "ram")
	case langIT:
		return (strings.HasSuffix(w, "i") || strings.HasSuffix(w, "e")) && !strings.HasSuffix(w, "ono")
	case langDE:
		return d.toks[i].cap
	case langRU, langUK:
		return strings.HasSuffix(w, "их") || strings.HasSuffix(w, "ых")
	case langAR:
		return hasStem(w, []string{"قتيل", "قتلى", "جريح", "جرحى", "مصاب", "شهيد", "شهداء"})
	}
	return false
}
