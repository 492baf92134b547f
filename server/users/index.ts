export { loadActor, authenticate, toActor, createUser, setOwnLanguage } from './users.service.js';
export { ensureFirstAdmin, FIRST_ADMIN_EMAIL } from './first-admin.js';
export { signInSchema, languageSchema, secondFactorSchema } from './users.schemas.js';
export { verifySecondFactor, newEnrolment, confirmEnrolment, resetTwoFactor } from './two-factor.js';
export { usersRouter, accountRouter } from './users.routes.js';
export { UserModel } from './user.model.js';
export { listActiveStaff, getActiveStaff } from './users.queries.js';
export type { StaffMember } from './users.queries.js';
export { hashPassword } from './passwords.js';
