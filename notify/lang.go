package notify

import (
	"encoding/json"
	"regexp"
	"strings"
	"sync"
)

// Languages an alert may be written in; a subscription records the app's.
const (
	LangEnglish = "en"
	LangFrench  = "fr"
)

// ValidLang reports whether an alert can be written in lang.
func ValidLang(lang string) bool { return lang == LangEnglish || lang == LangFrench }

// french is the alerts' catalogue: each English text as the code writes it,
// with {1}, {2}… for the parts it fills in (names, products, codes), and its
// French. An alert is written in English where it is made, and put in the
// subscription's language when it is sent (localize): so every alert
// reaches each phone in the language of its app, including those queued by
// a single SQL statement, and callers stay as they are. A text not listed
// (a shopper's note, a chat message) is sent as written.
var french = [][2]string{
	// Offers and their withdrawal.
	// The reminders first: the offer's own title would match them too.
	{"Still waiting: Remote help — {1}", "Toujours en attente : aide à distance — {1}"},
	{"Still waiting: {1} — help needed", "Toujours en attente : {1} — besoin d'aide"},
	{"{1} — help needed", "{1} — besoin d'aide"},
	{"Remote help — {1}", "Aide à distance — {1}"},
	{"A shopper is waiting at {1}", "Un client attend à {1}"},
	{"A shopper is asking from outside a store", "Un client demande de l'aide hors d'un magasin"},
	{"A shopper is asking at {1}", "Un client demande de l'aide à {1}"},
	{"Taken by {1}", "Pris par {1}"},
	{"No need to come: taken by {1}.", "Inutile de venir : pris par {1}."},
	{"Cancelled by the shopper", "Annulée par le client"},
	{"No need to come: cancelled by the shopper.", "Inutile de venir : annulée par le client."},
	{"The shopper is in another store", "Le client est dans un autre magasin"},
	{"No need to come: the shopper is in another store.", "Inutile de venir : le client est dans un autre magasin."},
	{"No longer waiting", "Plus en attente"},
	{"No need to come: no longer waiting.", "Inutile de venir : la demande n'est plus en attente."},
	{"You are now on a break", "Vous êtes maintenant en pause"},
	{"You missed {1} alerts in a row. Set yourself available when you are back.",
		"Vous avez manqué {1} alertes d'affilée. Repassez-vous disponible à votre retour."},
	// The conversation.
	{"{1} is on the way", "{1} arrive"},
	{"{1} from our help team is answering", "{1}, de notre équipe d'aide, vous répond"},
	{"Open the app to chat.", "Ouvrez l'application pour discuter."},
	{"The shopper wrote", "Le client a écrit"},
	{"New answer from {1}", "Nouvelle réponse de {1}"},
	{"Photo", "Photo"},
	{"Your request is resolved", "Votre demande est résolue"},
	{"How did we do? Rate the help in the app.", "Qu'en avez-vous pensé ? Notez l'aide dans l'application."},
	{"Request cancelled", "Demande annulée"},
	{"The shopper no longer needs help.", "Le client n'a plus besoin d'aide."},
	{"Sorry, nobody could answer in time", "Désolés, personne n'a pu répondre à temps"},
	{"Ask again, or ask at the nearest desk.", "Demandez à nouveau, ou à l'accueil le plus proche."},
	// Escalations.
	{"Priority: {1} needs you", "Priorité : {1} a besoin de vous"},
	{"{1} acknowledged", "{1} a pris en compte"},
	{"The store's manager is on it.", "Le responsable du magasin s'en occupe."},
	{"Priority: the remote team needs the floor", "Priorité : l'équipe à distance a besoin du magasin"},
	{"The manager has not answered; can you help?", "Le responsable n'a pas répondu ; pouvez-vous aider ?"},
	// Holds.
	{"Pick list: {1}", "À préparer : {1}"},
	{"Put aside for pickup by {1} (SKU {2}, code {3}).", "À mettre de côté pour un retrait avant {1} (réf. {2}, code {3})."},
	{"{1} held {2} for you", "{1} vous a réservé {2}"},
	{"Pick up at {1} by {2} with code {3}.", "Retrait à {1} avant {2} avec le code {3}."},
	{"Put back: {1} × {2}", "À remettre en rayon : {1} × {2}"},
	{"Hold {1} was not picked up in time; the units are back in stock.", "La réservation {1} n'a pas été retirée à temps ; les articles sont de retour en stock."},
	{"Hold {1} was cancelled; the units are back in stock.", "La réservation {1} a été annulée ; les articles sont de retour en stock."},
	{"Your hold has expired", "Votre réservation a expiré"},
	{"{1} × {2} at {3} went back on sale. Hold it again if you still want it.",
		"{1} × {2} à {3} est de nouveau en vente. Réservez à nouveau si vous le voulez toujours."},
	{"Your order is ready at the pickup desk", "Votre commande vous attend au comptoir de retrait"},
	{"{1} × {2} at {3}: show code {4} by {5}.", "{1} × {2} à {3} : présentez le code {4} avant {5}."},
	{"Your hold was cancelled", "Votre réservation a été annulée"},
	{"{1} cancelled your hold of {2} × {3} at {4}.", "{1} a annulé votre réservation de {2} × {3} à {4}."},
	{"Stock below holds", "Stock inférieur aux réservations"},
	{"The inventory import counts fewer units than are held for pickup: {1}. Check the shelves and the holds.",
		"L'import d'inventaire compte moins d'articles que ceux réservés : {1}. Vérifiez les rayons et les réservations."},
	// Subscriptions.
	{"Alerts are about to stop", "Les alertes vont s'arrêter"},
	{"Open Helpforce on this phone to keep getting alerts.", "Ouvrez Helpforce sur ce téléphone pour continuer à recevoir les alertes."},
}

type phrase struct {
	en *regexp.Regexp
	fr string // with $1, $2… for regexp.Expand
}

var placeholder = regexp.MustCompile(`\{(\d)\}`)

// phrases compiles the catalogue once: "{1} is on the way" matches
// ^(.+) is on the way$.
var phrases = sync.OnceValue(func() []phrase {
	out := make([]phrase, len(french))
	for i, p := range french {
		parts := placeholder.Split(p[0], -1)
		for j := range parts {
			parts[j] = regexp.QuoteMeta(parts[j])
		}
		out[i] = phrase{en: regexp.MustCompile(`^` + strings.Join(parts, `(.+?)`) + `$`),
			fr: placeholder.ReplaceAllString(p[1], `$${$1}`)}
	}
	return out
})

// Translate writes an English alert text in lang; a text the catalogue does
// not know is returned as it is.
func Translate(text, lang string) string {
	if lang != LangFrench || text == "" {
		return text
	}
	for _, p := range phrases() {
		if m := p.en.FindStringSubmatchIndex(text); m != nil {
			return string(p.en.ExpandString(nil, p.fr, text, m))
		}
	}
	return text
}

// localize rewrites a queued payload's title and body in lang. A payload
// that is not a message (or already fits no rule) is sent unchanged.
func localize(payload, lang string) string {
	if lang != LangFrench {
		return payload
	}
	var m Message
	if err := json.Unmarshal([]byte(payload), &m); err != nil {
		return payload
	}
	title, body := Translate(m.Title, lang), Translate(m.Body, lang)
	if title == m.Title && body == m.Body {
		return payload
	}
	m.Title, m.Body = title, body
	// encode cuts the text again should French be longer than the room.
	m.Topic, m.TTL = m.Tag, 1
	b, err := m.encode()
	if err != nil {
		return payload
	}
	return string(b)
}
