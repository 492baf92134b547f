export { authRouter } from './auth.routes.js';
export { configurePassport } from './passport.js';
export { requirePasswordChosen, requireSecondFactorEnrolled } from './gates.js';
