/**
 * A subset of Leipzig's street directory (Straßenverzeichnis): real street
 * names with their postal codes and districts (Ortsteile). Street keys are
 * this project's own five-digit numbers, not the city's official keys.
 * House-number ranges are plausible bounds, not surveyed facts: the directory
 * accepts any number inside the range.
 *
 * Long streets that cross postal-code areas appear once per section.
 */
export interface DirectoryStreet {
  /** The project's street key, five digits. */
  streetKey: string;
  name: string;
  postalCode: string;
  /** Ortsteil. */
  district: string;
  /** Lowest and highest house number in this section. */
  houseNumbers: { from: number; to: number };
}

/** Leipzig's official municipality key (Amtlicher Gemeindeschlüssel). */
export const LEIPZIG_MUNICIPALITY_KEY = '14713000';
export const LEIPZIG = 'Leipzig';

function street(streetKey: string, name: string, postalCode: string, district: string, to: number): DirectoryStreet {
  return { streetKey, name, postalCode, district, houseNumbers: { from: 1, to } };
}

export const LEIPZIG_STREETS: readonly DirectoryStreet[] = [
  // Gohlis, Möckern, Wahren: Georg-Schumann-Straße runs north-west out of the centre.
  street('01001', 'Georg-Schumann-Straße', '04155', 'Gohlis-Süd', 120),
  street('01002', 'Georg-Schumann-Straße', '04159', 'Möckern', 390),
  street('01003', 'Lindenthaler Straße', '04155', 'Gohlis-Süd', 70),
  street('01004', 'Coppistraße', '04157', 'Gohlis-Nord', 80),
  street('01005', 'Gohliser Straße', '04105', 'Zentrum-Nord', 50),
  street('01006', 'Eutritzscher Straße', '04105', 'Zentrum-Nord', 40),
  street('01007', 'Delitzscher Straße', '04129', 'Eutritzsch', 180),
  // Zentrum, Südvorstadt
  street('02001', 'Mozartstraße', '04107', 'Zentrum-Süd', 25),
  street('02002', 'Grimmaische Straße', '04109', 'Zentrum', 30),
  street('02003', 'Martin-Luther-Ring', '04109', 'Zentrum', 10),
  street('02004', 'Karl-Liebknecht-Straße', '04107', 'Zentrum-Süd', 60),
  street('02005', 'Karl-Liebknecht-Straße', '04275', 'Südvorstadt', 150),
  street('02006', 'Kochstraße', '04275', 'Südvorstadt', 130),
  street('02007', 'Kurt-Eisner-Straße', '04275', 'Südvorstadt', 90),
  street('02008', 'Jahnallee', '04109', 'Zentrum-West', 60),
  // Plagwitz, Schleußig, Lindenau
  street('03001', 'Karl-Heine-Straße', '04229', 'Plagwitz', 110),
  street('03002', 'Zschochersche Straße', '04229', 'Plagwitz', 95),
  street('03003', 'Naumburger Straße', '04229', 'Plagwitz', 60),
  street('03004', 'Gießerstraße', '04229', 'Plagwitz', 75),
  street('03005', 'Weißenfelser Straße', '04229', 'Plagwitz', 80),
  street('03006', 'Erich-Zeigner-Allee', '04229', 'Plagwitz', 90),
  street('03007', 'Könneritzstraße', '04229', 'Schleußig', 110),
  street('03008', 'Holbeinstraße', '04229', 'Schleußig', 60),
  street('03009', 'Lützner Straße', '04177', 'Lindenau', 200),
  street('03010', 'Georg-Schwarz-Straße', '04177', 'Lindenau', 150),
  // Reudnitz, Volkmarsdorf, Anger-Crottendorf
  street('04001', 'Dresdner Straße', '04317', 'Reudnitz-Thonberg', 90),
  street('04002', 'Riebeckstraße', '04317', 'Reudnitz-Thonberg', 70),
  street('04003', 'Oswaldstraße', '04317', 'Reudnitz-Thonberg', 30),
  street('04004', 'Kohlgartenstraße', '04315', 'Neustadt-Neuschönefeld', 70),
  street('04005', 'Eisenbahnstraße', '04315', 'Volkmarsdorf', 180),
  street('04006', 'Wurzner Straße', '04315', 'Volkmarsdorf', 200),
  street('04007', 'Prager Straße', '04317', 'Reudnitz-Thonberg', 160),
  // Holzhausen, Stötteritz
  street('05001', 'Stötteritzer Landstraße', '04288', 'Holzhausen', 60),
  street('05002', 'Zuckelhausener Ring', '04288', 'Holzhausen', 40),
  street('05003', 'Kleinpösnaer Straße', '04288', 'Holzhausen', 30),
  street('05004', 'Holzhäuser Straße', '04299', 'Stötteritz', 140),
  // Marienbrunn, Connewitz
  street('06001', 'Triftweg', '04277', 'Marienbrunn', 80),
  street('06002', 'Arnoldplatz', '04277', 'Marienbrunn', 20),
  street('06003', 'Denkmalsblick', '04277', 'Marienbrunn', 40),
  street('06004', 'Zwickauer Straße', '04277', 'Marienbrunn', 120),
  street('06005', 'Bornaische Straße', '04277', 'Connewitz', 140),
  // Grünau
  street('07001', 'Stuttgarter Allee', '04209', 'Grünau-Mitte', 40),
  street('07002', 'Ratzelstraße', '04207', 'Grünau-Ost', 260),
];

/** Other German municipalities people move in from (for moves into the city). */
export const OTHER_MUNICIPALITIES: readonly { name: string; municipalityKey: string; postalCode: string }[] = [
  { name: 'Dresden', municipalityKey: '14612000', postalCode: '01067' },
  { name: 'Halle (Saale)', municipalityKey: '15002000', postalCode: '06108' },
  { name: 'Chemnitz', municipalityKey: '14511000', postalCode: '09111' },
  { name: 'Markkleeberg', municipalityKey: '14729270', postalCode: '04416' },
  { name: 'Berlin', municipalityKey: '11000000', postalCode: '10115' },
];
