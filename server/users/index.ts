export { loadActor, authenticate, toActor, createUser, setOwnLanguage } from './users.service.js';
export { ensureFirstAdmin, FIRST_ADMIN_EMAIL } from './first-admin.js';
export { signInSchema, languageSchema, secondFactorSchema } from './users.schemas.js';
export { verifySecondFactor, newEnrolment, confirmEnrolment, resetTwoFactor } from './two-factor.js';
export { usersRouter, accountRouter } from './users.routes.js';
export { UserModel } from './user.model.js';
export { hashPassword } from './passwords.js';
