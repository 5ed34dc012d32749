export const CALLBACK_PATH = '/signin-callback';
