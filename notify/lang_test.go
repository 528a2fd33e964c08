package notify

import (
	"encoding/json"
	"testing"
	"time"
)

func TestTranslate(t *testing.T) {
	for _, tc := range []struct{ en, fr string }{
		{"TVs — help needed", "TVs — besoin d'aide"},
		{"Still waiting: TVs — help needed", "Toujours en attente : TVs — besoin d'aide"},
		{"Still waiting: Remote help — TVs", "Toujours en attente : aide à distance — TVs"},
		{"Sam is on the way", "Sam arrive"},
		{"No need to come: taken by Sam.", "Inutile de venir : pris par Sam."},
		{"2 × OLED 55 at Lyon: show code K7P2 by 18:00.", "2 × OLED 55 à Lyon : présentez le code K7P2 avant 18:00."},
		{"Near the soundbars", "Near the soundbars"}, // a chat message is sent as written
	} {
		if got := Translate(tc.en, LangFrench); got != tc.fr {
			t.Errorf("Translate(%q) = %q, want %q", tc.en, got, tc.fr)
		}
		if got := Translate(tc.en, LangEnglish); got != tc.en {
			t.Errorf("Translate(%q, en) = %q", tc.en, got)
		}
	}
}

func TestLocalizeKeepsTheRest(t *testing.T) {
	q, err := Message{Type: TypeHelpRequest, Title: "TVs — help needed", Body: "A shopper is waiting at Lyon",
		URL: "/staff/requests/1", RequestID: "1", Actions: []string{"accept", "pass"}, TTL: time.Minute,
		Topic: Topic("request", "1")}.Queued()
	if err != nil {
		t.Fatal(err)
	}
	var fr map[string]any
	if err := json.Unmarshal([]byte(localize(q.Payload, LangFrench)), &fr); err != nil {
		t.Fatal(err)
	}
	if fr["title"] != "TVs — besoin d'aide" || fr["body"] != "Un client attend à Lyon" || fr["url"] != "/staff/requests/1" ||
		fr["request_id"] != "1" || fr["tag"] != Topic("request", "1") || len(fr["actions"].([]any)) != 2 {
		t.Fatalf("localized %v", fr)
	}
	if localize(q.Payload, LangEnglish) != q.Payload {
		t.Error("an English payload changed")
	}
}
