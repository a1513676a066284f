/**
 * Why a vehicle's holder address was not updated after a move. Each reason
 * comes with a message the citizen can act on, in German, naming no other
 * person.
 */
export type RejectionReason =
  | 'not-found'
  | 'not-holder'
  | 'deregistered'
  | 'invalid-plate'
  | 'moved-abroad'
  | 'outside-district';

export const rejectionMessages: Record<RejectionReason, string> = {
  'not-found':
    'Zu diesem Kennzeichen ist im Fahrzeugregister der Stadt kein Fahrzeug verzeichnet. Bitte prüfen Sie das Kennzeichen oder wenden Sie sich mit der Zulassungsbescheinigung Teil I an die Kfz-Zulassungsbehörde.',
  'not-holder':
    'Das Fahrzeug ist nicht auf eine der umziehenden Personen zugelassen. Die Halteranschrift kann nur für die Halterin oder den Halter geändert werden.',
  deregistered:
    'Das Fahrzeug ist außer Betrieb gesetzt; die Halteranschrift wird nicht mehr geführt. Für eine Wiederzulassung wenden Sie sich an die Kfz-Zulassungsbehörde.',
  'invalid-plate': 'Das Kennzeichen hat kein gültiges Format (Beispiel: L-AB 1234). Bitte prüfen Sie die Eingabe.',
  'moved-abroad':
    'Bei einem Wegzug ins Ausland kann das Fahrzeug nicht in Deutschland zugelassen bleiben. Bitte setzen Sie es außer Betrieb (bei der Kfz-Zulassungsbehörde oder online über i-Kfz).',
  'outside-district':
    'Die neue Anschrift liegt außerhalb des Zulassungsbezirks der Stadt. Bitte wenden Sie sich an die Zulassungsbehörde Ihres neuen Wohnorts.',
};
