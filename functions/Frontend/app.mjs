// Loaded as a module so that only browsers GOV.UK Frontend supports run it; without it every page still works.
import { initAll } from './govuk-frontend.min.js'
import { initAll as initMoj } from './moj-frontend.min.js'

document.body.classList.add('js-enabled', 'govuk-frontend-supported')
initAll()
initMoj()
