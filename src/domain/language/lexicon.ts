/**
 * Words the date, time and intent parsers share, English and Spanish. Plain data: no parsing happens here.
 * Weekdays are ISO numbers (Monday 1 … Sunday 7), as luxon counts them.
 */

export const WEEKDAY_WORDS: Record<string, number> = {
  monday: 1, mon: 1, mondays: 1,
  tuesday: 2, tue: 2, tues: 2, tuesdays: 2,
  wednesday: 3, wed: 3, weds: 3, wednesdays: 3,
  thursday: 4, thu: 4, thur: 4, thurs: 4, thursdays: 4,
  friday: 5, fri: 5, fridays: 5,
  saturday: 6, sat: 6, saturdays: 6,
  sunday: 7, sun: 7, sundays: 7,
  lunes: 1, martes: 2, miercoles: 3, jueves: 4, viernes: 5, sabado: 6, sabados: 6, domingo: 7, domingos: 7,
};

/** Regex alternation of weekday words, longest first so "thursday" wins over "thu". */
export const WEEKDAY_RE = Object.keys(WEEKDAY_WORDS)
  .sort((a, b) => b.length - a.length)
  .join('|');

export const MONTH_WORDS: Record<string, number> = {
  january: 1, jan: 1, february: 2, feb: 2, march: 3, mar: 3, april: 4, apr: 4, may: 5, june: 6, jun: 6,
  july: 7, jul: 7, august: 8, aug: 8, september: 9, sept: 9, sep: 9, october: 10, oct: 10, november: 11, nov: 11,
  december: 12, dec: 12,
  enero: 1, febrero: 2, marzo: 3, abril: 4, mayo: 5, junio: 6, julio: 7, agosto: 8, septiembre: 9, setiembre: 9,
  octubre: 10, noviembre: 11, diciembre: 12,
};

export const MONTH_RE = Object.keys(MONTH_WORDS)
  .sort((a, b) => b.length - a.length)
  .join('|');

/** Cardinal words turned into digits before parsing ("half past three" → "half past 3"). */
export const UNIT_WORDS: Record<string, number> = {
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11,
  twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19,
  // Spanish. "una" and "once" are left out ("una cita", "at once"); the normalizer reads "la una", "las once".
  uno: 1, dos: 2, tres: 3, cuatro: 4, cinco: 5, seis: 6, siete: 7, ocho: 8, nueve: 9, diez: 10,
  doce: 12, trece: 13, catorce: 14, quince: 15, dieciseis: 16, diecisiete: 17, dieciocho: 18, diecinueve: 19,
  veinte: 20, veintiuno: 21, veintidos: 22, veintitres: 23, veinticuatro: 24, veinticinco: 25, veintiseis: 26,
  veintisiete: 27, veintiocho: 28, veintinueve: 29,
};

export const TENS_WORDS: Record<string, number> = {
  twenty: 20, thirty: 30, forty: 40, fourty: 40, fifty: 50,
  treinta: 30, cuarenta: 40, cincuenta: 50,
};

/** Ordinal words for days of the month ("the third of March", "twenty-first"). */
export const ORDINAL_WORDS: Record<string, number> = {
  first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8, ninth: 9, tenth: 10,
  eleventh: 11, twelfth: 12, thirteenth: 13, fourteenth: 14, fifteenth: 15, sixteenth: 16, seventeenth: 17,
  eighteenth: 18, nineteenth: 19, twentieth: 20, thirtieth: 30,
  primero: 1,
};

/** Words for "a small number" that Duckling resolves to fixed counts. */
export const VAGUE_COUNTS: Record<string, number> = { a: 1, an: 1, one: 1, couple: 2, pair: 2, few: 3, several: 3 };
