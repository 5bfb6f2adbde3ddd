export { seedDemo, isEmptyDatabase, DEMO_PASSWORD, type DemoLogin } from './demo.service.ts';
