export { notificationsRoutes } from './notifications.routes.ts';
export { createNotifications, listMyNotifications, markRead, type NewNotification } from './notifications.service.ts';
export { createMailer, type Mailer, type MailMessage } from './mailer.ts';
export { reminderMail, type ReminderItem } from './templates.ts';
