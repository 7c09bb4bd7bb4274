package suggest

import (
	"fmt"
	"time"
)

var weekdays = map[string]time.Weekday{
	"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday,
	"wednesday": time.Wednesday, "thursday": time.Thursday, "friday": time.Friday,
	"saturday": time.Saturday,
}

var months = map[string]time.Month{
	"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
	"august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
	"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
	"sept": 9, "oct": 10, "nov": 11, "dec": 12,
}

// relativeTimeWords are the lower-case words outside the lexicons a relative time
// ("yesterday", "last week", "early on Monday") can start with.
var relativeTimeWords = []string{"yesterday", "today", "tonight", "overnight", "last", "this", "earlier", "late", "early", "dawn", "midnight", "noon", "daybreak", "dusk"}

var dayParts = []string{"morning", "afternoon", "evening", "night", "overnight", "dawn"}

// findTimes marks dates and times and resolves them against the publication date:
// weekdays ("on Tuesday" = the latest Tuesday on or before publication, "Monday night"),
// dates ("Oct. 7", "October 7, 2023", "7 October"), relative days and weeks
// ("yesterday", "last week") and clock times ("approximately 6.30 p.m. local time").
func (d *doc) findTimes() {
	toks := d.toks
	for i := 0; i < len(toks); i++ {
		t := &toks[i]
		if t.kind == kNum {
			// "7 October", "7 October 2023"
			if m, ok := months[d.word(i+1, i)]; ok && len(d.tl(t)) <= 2 && i+1 < len(toks) && (toks[i+1].cap || toks[i+1].upper) {
				if day, ok := atoi2(d.tl(t)); ok && day >= 1 && day <= 31 {
					b, year := i+2, 0
					if b < len(toks) && toks[b].kind == kNum && len(d.lw(b)) == 4 && toks[b].sent == t.sent {
						if y, ok := parseDigits(d.lw(b)); ok && y >= 1900 && y <= 2100 {
							year, b = y, b+1
						}
					}
					d.add(cand{a: i, b: b, label: "TIME", origin: "rule:time.date", attrs: d.resolveDate(year, m, day)})
					i = b - 1
					continue
				}
			}
			if b, attrs, ok := d.clockAt(i); ok {
				d.add(cand{a: d.approxBefore(i), b: b, label: "TIME", origin: "rule:time.clock", attrs: attrs})
				i = b - 1
			}
			continue
		}
		if t.kind != kWord {
			continue
		}
		if !t.cap && !t.upper {
			if t.known || t.cls&clsTimeWord != 0 {
				if b, attrs, origin, ok := d.relativeAt(i); ok {
					d.add(cand{a: i, b: b, label: "TIME", origin: origin, attrs: attrs})
					i = b - 1
				}
			}
			continue
		}
		if wd, ok := d.weekdayOf(t); ok {
			a, b := i, i+1
			last := false
			switch {
			case in(d.prevWord(i), "early", "late", "earlier", "later"):
				a = i - 1
			case d.prevWord(i) == "last":
				a, last = i-1, true // "last Sunday": never the day of publication
			}
			// "late on Sunday": the span stays "Sunday" (the golden behaviour), the
			// window takes the night after
			lateOn := i >= 2 && d.prevWord(i) == "on" && d.word(i-2, i) == "late"
			part := ""
			if in(d.word(b, i), dayParts...) {
				part = d.lw(b)
				b++
			}
			// "Monday, Oct. 7": the date follows
			if d.reportedAt(a) {
				i = b - 1
				continue
			}
			attrs := map[string]any{}
			if d.hasPub {
				back := (int(d.pub.Weekday()) - int(wd) + 7) % 7
				if back == 0 && last {
					back = 7
				}
				day := d.pub.AddDate(0, 0, -back)
				attrs["date"] = day.Format("2006-01-02")
				// "Tuesday night", "late on Tuesday": it may be past midnight, so the
				// next day is possible too, if it is not after publication
				if (part == "night" || part == "overnight" || d.lw(a) == "late" || lateOn) && back > 0 {
					window(attrs, day, day.AddDate(0, 0, 1))
				}
			}
			d.add(cand{a: a, b: b, label: "TIME", origin: "rule:time.weekday", attrs: attrs})
			i = b - 1
			continue
		}
		if m, ok := d.monthOf(t); ok {
			if b, attrs, ok := d.dateAt(i, m); ok {
				d.add(cand{a: i, b: b, label: "TIME", origin: "rule:time.date", attrs: attrs})
				i = b - 1
			}
			continue
		}
		if b, attrs, origin, ok := d.relativeAt(i); ok {
			d.add(cand{a: i, b: b, label: "TIME", origin: origin, attrs: attrs})
			i = b - 1
		}
	}
}

// weekdayOf returns the weekday token t names; the class bit spares the map lookup for
// the other words.
func (d *doc) weekdayOf(t *token) (time.Weekday, bool) {
	if t.cls&clsWeekday == 0 {
		return 0, false
	}
	wd, ok := weekdays[d.tl(t)]
	return wd, ok
}

// monthOf returns the month token t names (in full or abbreviated).
func (d *doc) monthOf(t *token) (time.Month, bool) {
	if t.cls&clsMonth == 0 {
		return 0, false
	}
	m, ok := months[d.tl(t)]
	return m, ok
}

// reportedAt reports whether the time at i dates a statement ("said on Tuesday").
func (d *doc) reportedAt(i int) bool {
	// "said on Tuesday", "told Reuters on Friday", "said in a statement on Monday"
	for j, n := i-1, 0; j >= 0 && n < 5 && d.toks[j].sent == d.toks[i].sent; j, n = j-1, n+1 {
		w := d.lw(j)
		if in(w, "said", "says", "told", "announced", "reported", "stated", "added", "wrote", "confirmed", "statement", "posted", "tweeted") {
			return true
		}
		if !(in(w, "on", "late", "early", "in", "a", "an", "the", "to", "news", "reporters", "journalists", "conference") || d.toks[j].cap) {
			return false
		}
	}
	return false
}

func (d *doc) approxBefore(i int) int {
	if in(d.prevWord(i), "approximately", "about", "around", "roughly", "nearly", "shortly", "just") {
		return i - 1
	}
	return i
}

// dateAt reads a date starting with the month at i: "Oct. 7", "October 7, 2023",
// "October 2023". It also reads "7 October" when i-1 is the day (handled by its caller).
func (d *doc) dateAt(i int, m time.Month) (int, map[string]any, bool) {
	toks := d.toks
	j := i + 1
	if j < len(toks) && d.lw(j) == "." && !toks[j].space {
		j++
	}
	if j >= len(toks) || toks[j].sent != toks[i].sent && !(d.lw(j-1) == "." && !toks[j].nl) {
		return 0, nil, false
	}
	if toks[j].kind != kNum {
		// "7 October": day before the month
		if i > 0 && toks[i-1].kind == kNum && len(d.lw(i-1)) <= 2 {
			return 0, nil, false
		}
		return 0, nil, false
	}
	day, ok := parseDigits(d.lw(j))
	if !ok {
		return 0, nil, false
	}
	year := 0
	b := j + 1
	if day > 31 && day >= 1900 && day <= 2100 && d.lw(i) != "may" {
		// "October 2023"
		return b, map[string]any{"date": fmt.Sprintf("%04d-%02d", day, m)}, true
	}
	if day < 1 || day > 31 {
		return 0, nil, false
	}
	if b+1 < len(toks) && d.lw(b) == "," && toks[b+1].kind == kNum && len(d.lw(b+1)) == 4 {
		if y, ok := parseDigits(d.lw(b + 1)); ok && y >= 1900 && y <= 2100 {
			year, b = y, b+2
		}
	} else if b < len(toks) && toks[b].kind == kNum && len(d.lw(b)) == 4 {
		if y, ok := parseDigits(d.lw(b)); ok && y >= 1900 && y <= 2100 {
			year, b = y, b+1
		}
	}
	return b, d.resolveDate(year, m, day), true
}

// resolveDate fills in a missing year: the latest such date on or before publication.
func (d *doc) resolveDate(year int, m time.Month, day int) map[string]any {
	if year == 0 {
		if !d.hasPub {
			return map[string]any{}
		}
		year = d.pub.Year()
		if time.Date(year, m, day, 0, 0, 0, 0, time.UTC).After(d.pub) {
			year--
		}
	}
	t := time.Date(year, m, day, 0, 0, 0, 0, time.UTC)
	if t.Month() != m {
		return map[string]any{} // "February 31"
	}
	return map[string]any{"date": t.Format("2006-01-02")}
}

// clockAt reads a clock time at i: "6.30 p.m.", "18:30", "6 pm", with "local time" or
// "GMT" after it.
func (d *doc) clockAt(i int) (int, map[string]any, bool) {
	toks := d.toks
	h, m := 0, 0
	j := i + 1
	low := d.lw(i)
	ok := true
	switch {
	case len(low) <= 2:
		h, ok = atoi2(low)
		if j+1 < len(toks) && d.lw(j) == ":" && !toks[j].space && toks[j+1].kind == kNum && len(d.lw(j+1)) == 2 {
			m, _ = atoi2(d.lw(j + 1))
			j += 2
		}
	case len(low) <= 5 && len(low) >= 4 && (low[len(low)-3] == '.' || low[len(low)-3] == ','):
		var ok2 bool
		h, ok = atoi2(low[:len(low)-3])
		m, ok2 = atoi2(low[len(low)-2:])
		ok = ok && ok2
	default:
		return 0, nil, false
	}
	if !ok || h > 24 || m > 59 {
		return 0, nil, false
	}
	ampm := ""
	switch w := d.word(j, i); w {
	case "a", "p":
		if d.word(j+1, i) == "." && d.word(j+2, i) == "m" {
			ampm = w
			j += 3
			if d.word(j, i) == "." && !toks[j].space {
				j++
			}
		}
	case "am", "pm":
		ampm = w[:1]
		j++
	}
	if ampm == "" && !(j > i+1 && d.lw(i+1) == ":") {
		return 0, nil, false
	}
	if ampm == "p" && h < 12 {
		h += 12
	}
	if ampm == "a" && h == 12 {
		h = 0
	}
	if d.word(j, i) == "local" && d.word(j+1, i) == "time" {
		j += 2
	} else if in(d.word(j, i), "gmt", "utc") {
		j++
	}
	attrs := map[string]any{"time": fmt.Sprintf("%02d:%02d", h%24, m)}
	return j, attrs, true
}

// relativeAt reads "yesterday", "today", "last week", "last night", "this week",
// "earlier this month", "overnight", "at dawn".
func (d *doc) relativeAt(i int) (int, map[string]any, string, bool) {
	w := d.lw(i)
	date := func(days int) map[string]any {
		if !d.hasPub {
			return map[string]any{}
		}
		return map[string]any{"date": d.pub.AddDate(0, 0, days).Format("2006-01-02")}
	}
	switch w {
	case "yesterday":
		return i + 1, date(-1), "rule:time.relative", true
	case "today", "tonight":
		if d.reportedAt(i) {
			return 0, nil, "", false
		}
		return i + 1, date(0), "rule:time.relative", true
	case "overnight":
		if d.word(i+1, i) == "into" {
			return 0, nil, "", false
		}
		a := date(0)
		if d.hasPub { // the night before publication, which may have begun the day before
			window(a, d.pub.AddDate(0, 0, -1), d.pub)
		}
		return i + 1, a, "rule:time.relative", true
	case "last", "this", "earlier", "late", "early":
		j := i + 1
		if (w == "earlier" || w == "late" || w == "early") && d.word(j, i) == "this" {
			j++
		} else if w == "earlier" || w == "late" || w == "early" {
			return 0, nil, "", false
		}
		switch d.word(j, i) {
		case "night":
			if w == "last" {
				return j + 1, date(-1), "rule:time.relative", true
			}
		case "week", "weekend":
			if w == "last" {
				a := date(-7)
				a["unit"] = "week"
				if d.hasPub { // Monday to Sunday of the week before publication's
					mon := d.pub.AddDate(0, 0, -(int(d.pub.Weekday())+6)%7)
					window(a, mon.AddDate(0, 0, -7), mon.AddDate(0, 0, -1))
				}
				return j + 1, a, "rule:time.relative", true
			}
			a := date(0)
			a["unit"] = "week"
			return j + 1, a, "rule:time.relative", true
		case "month":
			if w == "last" {
				if !d.hasPub {
					return j + 1, map[string]any{}, "rule:time.relative", true
				}
				p := d.pub.AddDate(0, 0, -d.pub.Day())
				return j + 1, map[string]any{"date": p.Format("2006-01"), "unit": "month"}, "rule:time.relative", true
			}
			if !d.hasPub {
				return j + 1, map[string]any{}, "rule:time.relative", true
			}
			return j + 1, map[string]any{"date": d.pub.Format("2006-01"), "unit": "month"}, "rule:time.relative", true
		case "morning", "afternoon", "evening":
			if w == "this" {
				return j + 1, date(0), "rule:time.relative", true
			}
		}
	case "dawn", "midnight", "noon", "daybreak", "dusk":
		if in(d.prevWord(i), "at", "before", "after", "around", "near", "about", "since") {
			return i + 1, map[string]any{}, "rule:time.relative", true
		}
	}
	return 0, nil, "", false
}

// atoi2 reads one or two ASCII digits.
func atoi2(s string) (int, bool) {
	if len(s) == 0 || len(s) > 2 {
		return 0, false
	}
	v := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		v = v*10 + int(s[i]-'0')
	}
	return v, true
}

// window records the days a TIME may mean when it is less than one day: "earliest" and
// "latest" (YYYY-MM-DD, inclusive) beside "date". Incident linking compares windows.
func window(attrs map[string]any, from, to time.Time) {
	attrs["earliest"] = from.Format("2006-01-02")
	attrs["latest"] = to.Format("2006-01-02")
}
