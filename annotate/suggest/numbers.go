package suggest

import (
	"strconv"
	"strings"
)

// number is a figure read from the text over tokens [a, b).
type number struct {
	a, b  int
	val   int
	vague bool // "dozens", "several": an ACLED-style convention value, qualifier vague
	dozen bool // "a dozen", "two dozen": vague for parsing, but a number: qualifier approx
	word  bool // written in words
	bare  bool // a vague word without its "of" ("injuring dozens"): needs a kind word beside it
}

var smallNumbers = map[string]int{
	"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
	"eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
	"fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
	"nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
	"seventy": 70, "eighty": 80, "ninety": 90,
}

var multipliers = map[string]int{"hundred": 100, "thousand": 1000, "million": 1000000}

// Vague quantity words and their convention values (the team's ACLED-style guideline).
var vagueWords = map[string]int{
	"dozens": 12, "scores": 20, "hundreds": 100, "thousands": 1000, "several": 3,
	"tens": 10, "numerous": 3, "many": 3,
}

// readNumber reads a number starting at token i: digits with separators ("25,500",
// "1.5 million"), number words ("twenty-five", "two hundred", "a hundred", "two dozen",
// "a dozen") or vague words ("dozens of", "hundreds of thousands of", "a few",
// "several"). ok is false when no number starts at i.
func (d *doc) readNumber(i int) (number, bool) {
	toks := d.toks
	if i < 0 || i >= len(toks) {
		return number{}, false
	}
	t := &toks[i]
	n := number{a: i, b: i + 1}
	switch {
	case t.kind == kNum:
		v, ok := parseDigits(d.tl(t))
		if !ok {
			return n, false
		}
		n.val = v
		if m, ok := multipliers[d.word(i+1, i)]; ok && m >= 1000 {
			f, _ := strconv.ParseFloat(strings.ReplaceAll(d.tl(t), ",", ""), 64)
			n.val, n.b = int(f*float64(m)+0.5), i+2
		} else if strings.Contains(d.tl(t), ".") {
			return n, false // a decimal is a time, a share or a measure, not a head count
		}
		return n, true
	case t.kind != kWord || t.idx&(1<<31) == 0:
		// every number word ("a", "two", "dozens", ...) carries bit 31 in the vocabulary
		return n, false
	}
	w := d.tl(t)
	if w == "a" || w == "an" {
		nx := d.word(i+1, i)
		switch nx {
		case "dozen":
			n.val, n.b, n.vague, n.dozen = 12, i+2, true, true
			return n, true
		case "hundred", "thousand":
			n.val, n.b, n.word = multipliers[nx], i+2, true
			return d.extendWords(n), true
		case "few":
			n.val, n.b, n.vague = 3, i+2, true
			return n, true
		case "handful":
			n.val, n.b, n.vague = 3, i+2, true
			if d.word(n.b, i) == "of" {
				n.b++
			}
			return n, true
		}
		return n, false
	}
	if v, ok := vagueWords[w]; ok {
		n.val, n.vague = v, true
		if w == "several" || w == "numerous" || w == "many" {
			switch d.word(i+1, i) {
			case "dozen":
				n.val, n.b = 36, i+2
			case "hundred":
				n.val, n.b = 300, i+2
			case "thousand":
				n.val, n.b = 3000, i+2
			case "of", "more", "others", "times", "years", "months", "days", "weeks", "hours":
				// "many of the dead" counts nothing itself; "many more", "many times"
				if w != "several" {
					return n, false
				}
			default:
				// "many", "numerous" count people only with the noun ("killed many." is
				// no figure), and "how many", "so many", "not many" ask or compare
				if w != "several" && (!d.victimHeadOK(i+1, i) || in(d.prevWord(i), "how", "so", "too", "not", "as")) {
					return n, false
				}
			}
			return n, true
		}
		if d.word(i+1, i) != "of" {
			// "wounding dozens", "dozens were killed": a bare vague word; the caller
			// needs a death or injury word right beside it
			n.bare = w != "tens" && w != "numerous"
			return n, n.bare
		}
		n.b = i + 2
		// "hundreds of thousands of", "tens of thousands of", "hundreds of thousands"
		if nx := d.word(i+2, i); nx == "thousands" {
			n.val *= 1000
			n.b = i + 3
			if d.word(i+3, i) == "of" {
				n.b = i + 4
			} else {
				n.bare = true
			}
		}
		return n, true
	}
	if v, ok := smallNumbers[w]; ok {
		n.val, n.word = v, true
		// "twenty-five", "twenty five"
		if v >= 20 && v%10 == 0 {
			j := d.skipHyphen(i + 1)
			if u, ok := smallNumbers[d.word(j, i)]; ok && u < 10 && u > 0 {
				n.val += u
				n.b = j + 1
			}
		}
		if d.word(n.b, i) == "dozen" {
			n.val *= 12
			n.b++
			n.vague, n.dozen, n.word = true, true, false
			return n, true
		}
		return d.extendWords(n), true
	}
	return n, false
}

// extendWords continues a number in words: "two hundred", "three thousand", "two
// hundred and fifty".
func (d *doc) extendWords(n number) number {
	for {
		w := d.word(n.b, n.a)
		if m, ok := multipliers[w]; ok {
			if n.val == 0 {
				n.val = 1
			}
			n.val *= m
			n.b++
			continue
		}
		if w == "and" && n.val >= 100 {
			if v, ok := smallNumbers[d.word(n.b+1, n.a)]; ok {
				n.val += v
				n.b += 2
				continue
			}
		}
		return n
	}
}

// parseDigits reads "25,500" or "1200"; it refuses "1,2" and other odd groupings.
func parseDigits(s string) (int, bool) {
	if strings.Contains(s, ",") {
		parts := strings.Split(s, ",")
		for k, p := range parts {
			if k > 0 && len(p) != 3 || k == 0 && (len(p) == 0 || len(p) > 3) {
				return 0, false
			}
		}
		s = strings.Join(parts, "")
	}
	if i := strings.IndexByte(s, '.'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 9 {
		return 0, false
	}
	v, err := strconv.Atoi(s)
	return v, err == nil
}
