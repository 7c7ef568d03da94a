package reports

import (
	"fmt"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/pipeline"
)

// noteSet gathers the notes of one page: each sentence once, however many
// offences or rows it concerns. A sentence that bears on some of the page's
// offences but not all names them (or counts them) in front of it.
type noteSet struct {
	order  []string
	topics map[string][]string // sentence -> topic titles it concerns ("" for the page)
	total  int                 // offences on the page
}

func newNoteSet(topics int) *noteSet {
	return &noteSet{topics: map[string][]string{}, total: topics}
}

// add keeps a sentence for a topic ("" for the whole page).
func (n *noteSet) add(text, topic string) {
	if text == "" {
		return
	}
	ts, ok := n.topics[text]
	if !ok {
		n.order = append(n.order, text)
	}
	if topic != "" {
		for _, t := range ts {
			if t == topic {
				return
			}
		}
	}
	n.topics[text] = append(ts, topic)
}

// list is the page's notes in the order first met.
func (n *noteSet) list() []string {
	out := make([]string, 0, len(n.order))
	for _, text := range n.order {
		var named []string
		whole := false
		for _, t := range n.topics[text] {
			if t == "" {
				whole = true
			} else {
				named = append(named, t)
			}
		}
		switch {
		case whole || n.total <= 1 || len(named) == n.total || len(named) == 0:
			out = append(out, text)
		case len(named) <= 3:
			out = append(out, joinAnd(named)+": "+lowerFirst(text))
		default:
			out = append(out, fmt.Sprintf("%d of the %d offences here: %s", len(named), n.total, lowerFirst(text)))
		}
	}
	return out
}

// pageNotes are the notes that bear on the figures a page shows: the
// topics given, for the areas given (England and Wales and the chosen
// forces; an empty set means every area), with the report's own notes and,
// once, the conventions the figures follow.
func (s *site) pageNotes(topics []pipeline.Topic, areas map[string]bool) []string {
	ns := newNoteSet(len(topics))
	if s.meta.Synthetic {
		ns.add(noteSynth, "")
	}
	for _, n := range s.meta.Notes {
		ns.add(n, "")
	}
	bears := func(area string) bool {
		return area == "" || len(areas) == 0 || areas[area] || area == datasets.CodeEnglandWales
	}
	for _, n := range s.rep.Notes {
		if bears(n.Area) && (n.Topic == "" || hasTopic(topics, n.Topic)) {
			ns.add(n.Text, "")
		}
	}
	derived, minBase := false, false
	look := func(f pipeline.Figure) {
		if !f.Present {
			return
		}
		derived = derived || f.PreviousDerived
		minBase = minBase || (f.HasPrevious && !f.HasPct && f.PctNote != "")
	}
	for _, t := range topics {
		title := sayTopicTitle(t)
		for _, b := range t.Breaks {
			ns.add(b.Effect, title)
		}
		for _, n := range t.Notes {
			if bears(n.Area) {
				ns.add(n.Text, title)
			}
		}
		look(t.National)
		for _, a := range t.Answers {
			if !bears(a.Force.Code) {
				continue
			}
			look(a.Figure)
			for _, b := range a.Breaks {
				ns.add(b.Effect, title)
			}
			for _, n := range a.Notes {
				ns.add(n.Text, title)
			}
		}
		if len(areas) == 0 {
			for _, f := range t.Areas {
				look(f)
			}
		}
	}
	if derived {
		ns.add(noteDerived, "")
	}
	if minBase {
		ns.add(sayMinBaseNote(s.rep.MinBase), "")
	}
	ns.add(noteNotAll, "")
	return ns.list()
}

func hasTopic(topics []pipeline.Topic, id string) bool {
	for _, t := range topics {
		if t.ID == id {
			return true
		}
	}
	return false
}
