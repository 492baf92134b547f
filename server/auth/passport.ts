// Passport with the local strategy. The session keeps only the user's id; the actor is rebuilt
// from the database on every request, so a disabled account or a changed role takes effect at once.
import passport from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import type { Actor } from '../access/index.js';
import { authenticate, loadActor } from '../users/index.js';
import type { Clock } from '../platform/clock.js';
import { contextOf } from '../platform/http/request-context.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- augmenting Express's own namespace
  namespace Express {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the signed-in user is our Actor
    interface User extends Actor {}
  }
}

export function configurePassport(clock: Clock): passport.PassportStatic {
  passport.use(
    new LocalStrategy({ usernameField: 'email', passwordField: 'password', passReqToCallback: true }, (req, email, password, done) => {
      authenticate(email.trim().toLowerCase(), password, contextOf(req, clock))
        .then((actor) => done(null, actor ?? false))
        .catch((err: unknown) => done(err));
    }),
  );
  passport.serializeUser((user, done) => done(null, user.id));
  passport.deserializeUser((id: string, done) => {
    loadActor(id)
      .then((actor) => done(null, actor ?? false))
      .catch((err: unknown) => done(err));
  });
  return passport;
}
