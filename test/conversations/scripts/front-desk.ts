import { say, type ScriptFactory, type ScriptWorld, type Step } from '../../support/conversation-script';
import type { CalendarPlan } from '../calendar';
import type { Family } from '../families';

/**
 * What a front desk answers, from the business file (config/business.json) and never invented: prices and
 * durations, opening hours, address and directions, walk-ins, "I'm running late" (staff told, the booking kept),
 * and the customer's name (asked once after a first booking, kept in the ledger, a returning customer greeted by it).
 * English and Spanish. A question the file cannot answer goes to a person, as before.
 */

/** One question, answered by one front-desk family and nothing that books or hands over. */
const asks = (text: string, family: Family, locale: 'en' | 'es'): Step =>
  say(text, { families: [family], notFamilies: ['held', 'out_of_scope', 'fallback', 'handoff'], needsHuman: false, hold: null, locale });

/**
 * This customer's booking a little ahead, made straight in the ledger where the provider is off work (as the cancel
 * scripts do). Another script may have taken the same off-hours start for the same provider: then the next one.
 */
async function seedSoon(world: ScriptWorld, plan: CalendarPlan, service: string, provider: string): Promise<void> {
  let hours = 0.25;
  for (let attempt = 0; attempt < 6; attempt += 1) {
    const start = plan.offHoursStart(provider, service, hours);
    try {
      await world.seed({ who: 'self', service, provider, start });
      return;
    } catch (error) {
      if (!/slot_taken/.test(String(error))) throw error;
      // Past the taken one by more than any service and its buffer.
      hours = (Date.parse(start) - plan.now.toMillis()) / 3_600_000 + 2;
    }
  }
  throw new Error(`setup: no free off-hours start for ${service} with ${provider}`);
}

export const frontDeskScripts: ScriptFactory[] = [
  () => ({
    name: 'front desk: the price and length of one service, then the price list',
    topic: 'front_desk',
    steps: [asks('How much is a haircut?', 'prices', 'en'), asks('what are your prices?', 'prices', 'en')],
    ledger: [],
  }),
  () => ({
    name: 'front desk: how long a massage takes, then every service',
    topic: 'front_desk',
    steps: [asks('how long does a massage take?', 'durations', 'en'), asks('how long do your services take?', 'durations', 'en')],
    ledger: [],
  }),
  (plan) => ({
    name: 'front desk: opening hours for the week and for one day',
    topic: 'front_desk',
    steps: [asks('what are your opening hours?', 'hours', 'en'), asks(`are you open on ${plan.plusDays(3).en}?`, 'hours', 'en')],
    ledger: [],
  }),
  () => ({
    name: 'front desk: address, then directions',
    topic: 'front_desk',
    steps: [asks("what's your address?", 'address', 'en'), asks('how do I get there?', 'directions', 'en')],
    ledger: [],
  }),
  () => ({
    name: 'front desk: do you take walk-ins',
    topic: 'front_desk',
    steps: [asks('do you take walk-ins?', 'walk_ins', 'en')],
    ledger: [],
  }),
  (plan) => {
    return {
      name: "front desk: running late — staff are told, the booking stays",
      topic: 'front_desk',
      setup: (world) => seedSoon(world, plan, 'massage', 'jordan'),
      steps: [
        say("Hi, I'm running about 10 minutes late, sorry!", {
          families: ['running_late'],
          notFamilies: ['cancelled', 'moved', 'handoff'],
          notText: [/can't see an appointment/],
          confirmedBookings: 1,
          needsHuman: false,
        }),
      ],
      ledger: [{ status: 'confirmed', service: 'massage' }],
      staffTold: [/^A customer is running about 10 minutes late \(chat\) for Massage with Jordan, .+; the booking stays as it is\./],
    };
  },
  (plan) => {
    const d = plan.uniqueDay('haircut', { times: ['10:00'] });
    return {
      name: 'front desk: the name is asked after a first booking and kept in the ledger',
      topic: 'front_desk',
      goal: 'book',
      steps: [
        say(`a haircut on ${d.en} at ${d.enTime}`, { families: ['held'], notFamilies: ['ask_name'] }),
        say('yes', { families: ['booked', 'ask_name'], status: 'booked' }),
        say('Maria Lopez', { families: ['name_noted'], notFamilies: ['held', 'fallback'], confirmedBookings: 1 }),
      ],
      ledger: [{ status: 'confirmed', service: 'haircut', date: d.date, time: d.time }],
      customerName: 'Maria Lopez',
    };
  },
  (plan) => {
    const a = plan.uniqueDay('beard-trim', { times: ['11:00'] });
    const b = plan.uniqueDay('consultation', { times: ['13:00'] });
    return {
      name: 'front desk: a non-name is never kept, the booking stands and the name is not asked again',
      topic: 'front_desk',
      goal: 'book',
      steps: [
        say(`beard trim on ${a.en} at ${a.enTime}`, { families: ['held'] }),
        say('yes', { families: ['booked', 'ask_name'] }),
        say('tomorrow', { notFamilies: ['name_noted'], confirmedBookings: 1 }),
        say('no thanks', { notFamilies: ['name_noted'], confirmedBookings: 1 }),
        say(`and a consultation on ${b.en} at ${b.enTime}`, { families: ['held'] }),
        say('yes', { families: ['booked'], notFamilies: ['ask_name'], confirmedBookings: 2 }),
      ],
      ledger: [
        { status: 'confirmed', service: 'beard-trim', date: a.date, time: a.time },
        { status: 'confirmed', service: 'consultation', date: b.date, time: b.time },
      ],
      customerName: null,
    };
  },
  (plan) => {
    const d = plan.uniqueDay('haircut', { times: ['14:00'] });
    return {
      name: 'front desk: a returning customer is greeted by name and not asked for it again',
      topic: 'front_desk',
      goal: 'book',
      setup: async (world) => {
        await world.knownAs('Priya');
      },
      steps: [
        say('hi', { families: ['greeting_by_name'] }),
        say(`haircut on ${d.en} at ${d.enTime}`, { families: ['held'] }),
        say('yes', { families: ['booked'], notFamilies: ['ask_name'] }),
      ],
      ledger: [{ status: 'confirmed', service: 'haircut', date: d.date, time: d.time }],
      customerName: 'Priya',
    };
  },
  () => ({
    name: 'front desk: a question the business file cannot answer goes to a person',
    topic: 'front_desk',
    steps: [
      say('Do you offer a student discount?', { families: ['out_of_scope'], notFamilies: ['prices'], needsHuman: false }),
      say('agent', { families: ['handoff'], needsHuman: true, status: 'human' }),
    ],
    ledger: [],
  }),

  // ----- Spanish -----
  () => ({
    name: 'front desk (es): precio y duración',
    topic: 'front_desk',
    steps: [asks('¿Cuánto cuesta un tinte?', 'prices', 'es'), asks('¿Cuánto dura un masaje?', 'durations', 'es')],
    ledger: [],
  }),
  () => ({
    name: 'front desk (es): horario, dirección y cómo llegar',
    topic: 'front_desk',
    steps: [asks('¿Qué horario tienen?', 'hours', 'es'), asks('¿Dónde están?', 'address', 'es'), asks('¿Cómo llego?', 'directions', 'es')],
    ledger: [],
  }),
  () => ({
    name: 'front desk (es): ¿atienden sin cita?',
    topic: 'front_desk',
    steps: [asks('¿Atienden sin cita?', 'walk_ins', 'es')],
    ledger: [],
  }),
  (plan) => {
    return {
      name: 'front desk (es): llego tarde — se avisa al equipo y la cita sigue',
      topic: 'front_desk',
      setup: (world) => seedSoon(world, plan, 'beard-trim', 'sam'),
      steps: [
        say('Hola, llego 15 minutos tarde, lo siento', {
          families: ['running_late'],
          notFamilies: ['cancelled', 'moved', 'handoff'],
          notText: [/No veo ninguna cita/],
          confirmedBookings: 1,
          needsHuman: false,
          locale: 'es',
        }),
      ],
      ledger: [{ status: 'confirmed', service: 'beard-trim' }],
      staffTold: [/running about 15 minutes late \(chat\) for Beard trim with Sam/],
    };
  },
  (plan) => {
    const d = plan.uniqueDay('massage', { times: ['11:00'] });
    return {
      name: 'front desk (es): se pide el nombre tras la primera reserva y se guarda',
      topic: 'front_desk',
      goal: 'book',
      steps: [
        say(`una cita de masaje el ${d.es} a las 11 de la mañana`, { families: ['held'], locale: 'es' }),
        say('sí', { families: ['booked', 'ask_name'], locale: 'es' }),
        say('me llamo Lucía Fernández', { families: ['name_noted'], locale: 'es' }),
      ],
      ledger: [{ status: 'confirmed', service: 'massage', date: d.date, time: '11:00' }],
      customerName: 'Lucía Fernández',
    };
  },
  () => ({
    name: 'front desk (es): un cliente que vuelve, saludado por su nombre',
    topic: 'front_desk',
    setup: async (world) => {
      await world.knownAs('Javier');
    },
    steps: [say('hola', { families: ['greeting_by_name'], locale: 'es' })],
    ledger: [],
    customerName: 'Javier',
  }),
  () => ({
    name: 'front desk (es): lo que el archivo no sabe, a una persona',
    topic: 'front_desk',
    steps: [
      say('¿Me pueden hacer una factura?', { families: ['out_of_scope'], locale: 'es', needsHuman: false }),
      say('agente', { families: ['handoff'], needsHuman: true, status: 'human' }),
    ],
    ledger: [],
  }),
];
