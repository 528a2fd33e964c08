// Chaînes françaises des conversations menées de front (saisie, lu) et de la
// vue du magasin pour le responsable. Mêmes clés que en-conversations.js.
export default {
  'chat.seen': 'Vu',
  'chat.typing': '{name} écrit…',
  'chat.customerTyping': 'Le client écrit…',
  'chat.someone': 'Quelqu’un de notre équipe',

  'conv.title': 'Mes conversations',
  'conv.none': 'Aucune conversation en cours.',
  'conv.one': '1 conversation en cours.',
  'conv.many': '{n} conversations en cours.',
  'conv.unread': '{n} non lus',
  'conv.last': '{who} : {body}',
  'conv.noMessage': 'Pas encore de message.',
  'conv.sound': 'Son',
  'conv.notifyTitle': 'Nouveau message — {department}',
  'keys.switch': 'conversation précédente / suivante',

  'time.for': 'depuis {duration}',
  'time.forJustNow': 'à l’instant',

  'floor.title': 'Le magasin en direct',
  'floor.team': 'Équipe',
  'floor.free': '{n} sur {total} libres pour aider.',
  'floor.helpingWith': 'Occupé — aide au rayon {department}',
  'floor.withRemote': 'Avec l’équipe à distance',
  'floor.helping': 'Clients aidés',
  'floor.helpingOne': '1 client aidé en ce moment.',
  'floor.helpingCount': '{n} clients aidés en ce moment.',
  'floor.nobodyHelped': 'Personne n’est aidé en ce moment.',
  'floor.helps': '{name} aide · {department}',
  'floor.remoteName': '{name} (équipe à distance)',
};
