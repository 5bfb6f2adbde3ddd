/* global document */
// The comment form's file field in the page's language: Chromium draws the native field's button and "no file
// chosen" in its own interface language, English on an Arabic page. With this script the native field stays (focusable,
// visually hidden) and a button and the chosen file's name are shown in the page's words. Without it, the native
// field works as it is.
for (const pick of document.querySelectorAll('.file-pick')) {
  const input = pick.querySelector('input[type=file]');
  const button = pick.querySelector('.file-button');
  const name = pick.querySelector('.file-name');
  if (!input || !button || !name) continue;
  const none = name.textContent;
  input.classList.add('file-native');
  button.hidden = false;
  name.hidden = false;
  input.addEventListener('change', () => {
    name.textContent = input.files && input.files.length ? input.files[0].name : none;
  });
}
