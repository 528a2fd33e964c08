package reports

import (
	"cmp"
	"slices"
	"time"
)

// breakdowns collects the grouped rows of a store's report into dense
// series: charts read a gap as "nothing happened", so every hour, every
// department and every day of the period has an entry, with zero requests
// and null figures when nothing did.
type breakdowns struct {
	hours  [24]Hour
	depts  []Department
	deptAt map[string]int
	days   []Day
	dayAt  map[string]int
}

func newBreakdowns(depts []Department, firstDay, lastDay time.Time) *breakdowns {
	b := &breakdowns{depts: depts, deptAt: map[string]int{}, dayAt: map[string]int{}}
	for h := range b.hours {
		b.hours[h].Hour = h
	}
	for i, d := range depts {
		b.deptAt[d.Code] = i
	}
	// Dates are civil dates here (midnight UTC as the driver reads a date),
	// so stepping a day is exact whatever the store's zone does.
	for d := firstDay; !d.After(lastDay); d = d.AddDate(0, 0, 1) {
		b.dayAt[d.Format(time.DateOnly)] = len(b.days)
		b.days = append(b.days, Day{Date: d.Format(time.DateOnly)})
	}
	return b
}

func (b *breakdowns) hour(h int, f figures) {
	if h < 0 || h >= len(b.hours) {
		return
	}
	b.hours[h] = Hour{Hour: h, Requests: f.Requests, Answered: f.Answered,
		FirstResponseP50S: seconds(f.FirstP50), FirstResponseP90S: seconds(f.FirstP90)}
}

// department fills a department's figures; a code that is no longer one of
// the store's departments still shows, under its code.
func (b *breakdowns) department(code string, f figures) {
	i, ok := b.deptAt[code]
	if !ok {
		i = len(b.depts)
		b.deptAt[code] = i
		b.depts = append(b.depts, Department{Code: code, Name: code})
	}
	d := &b.depts[i]
	d.Requests, d.Answered = f.Requests, f.Answered
	d.OverflowShare = share(f.Overflowed, f.Requests)
	d.CSATAvg = f.csatAvg()
}

func (b *breakdowns) day(date time.Time, f figures) {
	i, ok := b.dayAt[date.Format(time.DateOnly)]
	if !ok {
		return
	}
	d := &b.days[i]
	d.Requests = f.Requests
	d.OverflowShare = share(f.Overflowed, f.Requests)
	d.AbandonShare = share(f.Abandoned, f.Requests)
	d.CSATAvg = f.csatAvg()
}

// done returns the series: hours in order, departments with the most
// requests first (then by name), days in order.
func (b *breakdowns) done() ([]Hour, []Department, []Day) {
	depts := append([]Department{}, b.depts...)
	slices.SortStableFunc(depts, func(x, y Department) int {
		return cmp.Or(cmp.Compare(y.Requests, x.Requests), cmp.Compare(x.Name, y.Name), cmp.Compare(x.Code, y.Code))
	})
	return b.hours[:], depts, b.days
}
