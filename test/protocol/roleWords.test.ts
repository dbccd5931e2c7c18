/** Role words: plurals, endings, digits, compounds and other languages read as a role; real names stay names. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkName } from '../../src/protocol/names';

function problemOf(name: string): string {
  const check = checkName(name);
  return check.ok ? 'ok' : check.problem;
}

test('plurals, feminine and case endings of the role words are reserved', () => {
  for (const name of ['Lehrpersonen', 'Lehrerinnen', 'Tutoren', 'Dozentinnen', 'Teachers', 'Admins', 'Lehrkräfte']) {
    assert.equal(problemOf(name), 'reserved', name);
  }
});

test('a role word with digits around it, or digits written for its letters, is reserved', () => {
  for (const name of [
    'Teacher2',
    '2Teacher',
    'Lehrperson1',
    'Frau Keller Lehrperson1',
    'admin123',
    'T3acher',
    'Adm1n',
  ]) {
    assert.equal(problemOf(name), 'reserved', name);
  }
});

test('a compound whose last part is a role, and a role split in two, are reserved', () => {
  for (const name of [
    'Kursleiterin',
    'Kursleiter',
    'Klassenlehrerin',
    'Hauptlehrer',
    'Sysadmin',
    'HeadTeacher',
    'KellerLehrerin',
    'Kurs Leiterin',
    'Lehr-Person',
  ]) {
    assert.equal(problemOf(name), 'reserved', name);
  }
});

test('role words of other languages and scripts are reserved', () => {
  for (const name of [
    'Enseignante',
    'Professeur Martin',
    'Insegnante',
    'Docente Rossi',
    'Öğretmen',
    'Mësuese',
    'Учитель',
    'Учительница',
    'Преподаватель',
    'Δάσκαλος',
    'Καθηγήτρια',
  ]) {
    assert.equal(problemOf(name), 'reserved', name);
  }
});

test('the refusal names the role word it read', () => {
  const check = checkName('Frau Keller Lehrperson1');
  assert.equal(check.ok, false);
  assert.match((check as { detail: string }).detail, /"Lehrperson"/);
});

test('names near a role word, and compounds that only start with one, stay names', () => {
  for (const name of ['Lehner', 'Leitner', 'Tudor', 'Admir', 'Theo', 'Lehrerzimmer', 'Lehmann', 'Servet', 'Mesut']) {
    assert.equal(problemOf(name), 'ok', name);
  }
});

test('two words that only end in a role word together are a name: "Pierre Lay" is not "relay", "Ahmad Min" not "admin"', () => {
  for (const name of ['Pierre Lay', 'Claire Layer', 'Emre Lay', 'Ahmad Min', 'Konrad Min', 'Nenad Min']) {
    assert.equal(problemOf(name), 'ok', name);
  }
});

const FIRST_NAMES = [
  'Mia',
  'Emma',
  'Lina',
  'Sofia',
  'Lea',
  'Elena',
  'Laura',
  'Anna',
  'Lara',
  'Nina',
  'Alina',
  'Leonie',
  'Julia',
  'Noah',
  'Liam',
  'Luca',
  'Leon',
  'Matteo',
  'Gabriel',
  'Elias',
  'David',
  'Levin',
  'Nico',
  'Jan',
  'Ben',
  'Theo',
  'Ardit',
  'Arber',
  'Blerta',
  'Dren',
  'Elif',
  'Emir',
  'Yusuf',
  'Zeynep',
  'Ahmet',
  'Mehmet',
  'Aylin',
  'Admir',
  'Amina',
  'Fatima',
  'Mohammed',
  'Aleksandar',
  'Milica',
  'Nikola',
  'Jovana',
  'Dragan',
  'Ivana',
  'Marko',
  'Tiago',
  'João',
  'Inês',
  'Gonçalo',
  'Chiara',
  'Giulia',
  'Lorenzo',
  'Francesco',
  'Aurélie',
  'Léa',
  'Chloé',
  'Maël',
  'Sarah',
  'Tenzin',
  'Dawa',
  'Priya',
  'Arjun',
  'Thuy',
  'Minh',
  'Tran',
  'Yara',
  'Dominik',
  'Urs',
  'Reto',
  'Beat',
  'Ueli',
  'Gian',
  'Seraina',
  'Flurina',
  'Curdin',
  'Ladina',
  'Mattia',
  'Andri',
];
const SURNAMES = [
  'Müller',
  'Meier',
  'Schmid',
  'Keller',
  'Weber',
  'Huber',
  'Schneider',
  'Meyer',
  'Steiner',
  'Fischer',
  'Gerber',
  'Brunner',
  'Baumann',
  'Frei',
  'Zimmermann',
  'Moser',
  'Widmer',
  'Wyss',
  'Graf',
  'Roth',
  'Lehner',
  'Leitner',
  'Berisha',
  'Krasniqi',
  'Gashi',
  'Yilmaz',
  'Kaya',
  'Rossi',
  'Ferrari',
  'Silva',
  'Santos',
  'Pereira',
  'Nguyen',
  'Jovanović',
  'Petrović',
  'Tudor',
  'Sutter',
  'Caduff',
  'Tscharner',
  'Lutz',
  'Bühler',
  'Kälin',
];

test('common first names and family names of a Swiss class, alone or together, are accepted', () => {
  fc.assert(
    fc.property(
      fc.constantFrom(...FIRST_NAMES),
      fc.option(fc.constantFrom(...SURNAMES), { nil: undefined }),
      fc.constantFrom(' ', '-', '.', '_'),
      (first, surname, between) => {
        const name = surname === undefined ? first : `${first}${between}${surname}`;
        assert.equal(problemOf(name), 'ok', name);
      },
    ),
    { numRuns: 2000 },
  );
});
