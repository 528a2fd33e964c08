// English strings for conversations worked side by side (typing, seen) and
// the manager's floor view. Part of the English table (en.js); keys are shared
// with fr-conversations.js.
export default {
  'chat.seen': 'Seen',
  'chat.typing': '{name} is typing…',
  'chat.customerTyping': 'The customer is typing…',
  'chat.someone': 'Someone from our team',

  'conv.title': 'My conversations',
  'conv.none': 'You have no open conversation.',
  'conv.one': '1 open conversation.',
  'conv.many': '{n} open conversations.',
  'conv.unread': '{n} unread',
  'conv.last': '{who}: {body}',
  'conv.noMessage': 'No messages yet.',
  'conv.sound': 'Sound',
  'conv.notifyTitle': 'New message — {department}',
  'keys.switch': 'previous / next conversation',

  'time.for': 'for {duration}',
  'time.forJustNow': 'just now',

  'floor.title': 'Floor now',
  'floor.team': 'Team',
  'floor.free': '{n} of {total} free to help.',
  'floor.helpingWith': 'Busy — helping in {department}',
  'floor.withRemote': 'With the remote team',
  'floor.helping': 'Being helped',
  'floor.helpingOne': '1 customer being helped.',
  'floor.helpingCount': '{n} customers being helped.',
  'floor.nobodyHelped': 'Nobody is being helped right now.',
  'floor.helps': '{name} is helping · {department}',
  'floor.remoteName': '{name} (remote team)',
};
