// English strings for one's own account: changing a password, signing out
// everywhere, and a manager's password reset. Keys are shared with fr-account.js.
export default {
  'password.title': 'Change password',
  'password.lead': 'Your other devices will be signed out.',
  'password.forced': 'You signed in with a temporary password. Choose your own to continue.',
  'password.current': 'Current password',
  'password.temporary': 'Temporary password',
  'password.new': 'New password',
  'password.again': 'New password again',
  'password.hint': '10 to 72 characters.',
  'password.submit': 'Change password',
  'password.saving': 'Saving…',
  'password.changed': 'Your password is changed. Your other devices are signed out.',
  'password.currentMissing': 'Enter your current password.',
  'password.currentWrong': 'This is not your current password.',
  'password.tooShort': 'Use 10 to 72 characters.',
  'password.mismatch': 'The two new passwords differ.',
  'password.tooMany': 'Too many attempts — try again later.',

  'account.title': 'Your account',
  'account.devices': 'Your devices',
  'account.everywhere': 'Sign out everywhere',
  'account.everywhereAsk': 'Sign out on every device, this one included? Alerts stop until you sign in again.',
  'account.everywhereYes': 'Yes, sign out everywhere',
  'account.cancel': 'Cancel',
  'signin.signedOutEverywhere': 'You are signed out on every device.',

  'people.reset': 'Reset password',
  'people.resetAsk': 'Give {name} a temporary password? They will be signed out and must choose a new password when they sign in.',
  'people.resetYes': 'Yes, reset',
  'people.resetDone': 'Temporary password for {name}: {password} — give it to them; they must change it when they sign in.',
};
