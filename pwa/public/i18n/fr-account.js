// Chaînes françaises du compte : changer de mot de passe, se déconnecter
// partout, réinitialisation par un responsable. Mêmes clés que en-account.js.
export default {
  'password.title': 'Changer de mot de passe',
  'password.lead': 'Vos autres appareils seront déconnectés.',
  'password.forced': 'Vous vous êtes connecté avec un mot de passe temporaire. Choisissez le vôtre pour continuer.',
  'password.current': 'Mot de passe actuel',
  'password.temporary': 'Mot de passe temporaire',
  'password.new': 'Nouveau mot de passe',
  'password.again': 'Nouveau mot de passe, à nouveau',
  'password.hint': 'De 10 à 72 caractères.',
  'password.submit': 'Changer de mot de passe',
  'password.saving': 'Enregistrement…',
  'password.changed': 'Votre mot de passe est changé. Vos autres appareils sont déconnectés.',
  'password.currentMissing': 'Saisissez votre mot de passe actuel.',
  'password.currentWrong': 'Ce n’est pas votre mot de passe actuel.',
  'password.tooShort': 'Utilisez de 10 à 72 caractères.',
  'password.mismatch': 'Les deux nouveaux mots de passe diffèrent.',
  'password.tooMany': 'Trop de tentatives — réessayez plus tard.',

  'account.title': 'Votre compte',
  'account.devices': 'Vos appareils',
  'account.everywhere': 'Se déconnecter partout',
  'account.everywhereAsk': 'Se déconnecter sur tous les appareils, celui-ci compris ? Les alertes cessent jusqu’à la prochaine connexion.',
  'account.everywhereYes': 'Oui, se déconnecter partout',
  'account.cancel': 'Annuler',
  'signin.signedOutEverywhere': 'Vous êtes déconnecté sur tous vos appareils.',

  'people.reset': 'Réinitialiser le mot de passe',
  'people.resetAsk': 'Donner un mot de passe temporaire à {name} ? La personne sera déconnectée et devra en choisir un nouveau à sa connexion.',
  'people.resetYes': 'Oui, réinitialiser',
  'people.resetDone': 'Mot de passe temporaire de {name} : {password} — transmettez-le ; il faudra le changer à la connexion.',
};
