export { openStorage, type Migrations, type Storage } from './database.js';
