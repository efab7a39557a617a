/** Real-time waiting that an abort ends early (without error): the clock's own. */
export { sleepReal as pause } from '../live/clock.js';
