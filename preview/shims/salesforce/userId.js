// `@salesforce/user/Id`: the viewing user's Id, fixed for the page's life as on the platform
// (switching the viewer reloads the page).
import { currentSession } from '../../app/session';

export default currentSession().userId;
