"""Toegankelijkheid: the accessibility statement of the public pages."""

import streamlit as st

from dashboard import ui
from dashboard.domain.verdicts import BEGRIPPEN

ui.entry_guard()

GLOSSARY = "\n".join(f"- **{term}.** {text}" for term, text in BEGRIPPEN)  # constant text

st.title("Toegankelijkheid")
ui.demo_marker()
st.markdown(
    "Het lerend netwerk wil dat iedereen de openbare pagina's kan gebruiken, ook met een "
    "schermlezer, alleen een toetsenbord of vergroting. We streven naar de norm **WCAG 2.1 "
    "niveau AA**, die voor overheidswebsites geldt."
)
st.header("Wat we doen")
st.markdown(
    "- **Koppen en structuur.** Elke pagina heeft één hoofdtitel en een logische volgorde van "
    "koppen, zodat je met een schermlezer van kop naar kop kunt springen.\n"
    "- **Grafieken met tekst.** Elke grafiek heeft een beschrijving voor schermlezers en de "
    "cijfers staan ook in een tabel of in de tekst ernaast.\n"
    "- **Kleur en contrast.** Tekst heeft voldoende contrast met de achtergrond. Kleuren in "
    "grafieken komen uit een palet dat ook bij kleurenblindheid te onderscheiden is, en "
    "signalen worden ook met een andere vorm aangeduid, niet alleen met kleur.\n"
    "- **Toetsenbord.** Alle knoppen, keuzelijsten en links zijn met de Tab-toets te bereiken "
    "en met Enter of de spatiebalk te bedienen.\n"
    "- **Afdrukken en delen.** De pagina Geleerde lessen is af te drukken via de "
    "afdrukfunctie van de browser, en elke les heeft een eigen link.\n"
    "- **Taal.** Teksten zijn in begrijpelijk Nederlands; getallen en datums in Nederlandse "
    "notatie (1.234,5 en 23 nov 2026)."
)
st.header("Privacy en kleine aantallen")
st.markdown(
    "Openbare cijfers zijn altijd totalen, nooit gegevens over één persoon. Aantallen van 1 "
    "tot en met 9 tonen we als **<10**, andere aantallen ronden we af op 5, en percentages "
    "tonen we afgerond op één decimaal en alleen als ze op minstens 10 mensen berusten. Een "
    "totaal waarin een verborgen aantal zit, tonen we niet (•): anders zou je het verborgen "
    "aantal kunnen terugrekenen."
)
st.header("Begrippen", anchor="begrippen")
st.markdown("De grafieken en het bewijs bij besluiten gebruiken een paar vaktermen. Zo lees je ze.")
st.markdown(GLOSSARY)
st.header("Bekende beperkingen")
st.markdown(
    "- De interactieve grafieken zijn met een schermlezer minder goed te gebruiken dan de "
    "tabellen; gebruik daarom de tabel bij elke grafiek.\n"
    "- De tabel met kerncijfers is breed; op een smal scherm kun je horizontaal scrollen."
)
st.header("Contact")
st.markdown(
    "Loop je tegen een probleem aan, of heb je een cijfer in een andere vorm nodig? Neem "
    "contact op met het programmateam van het lerend netwerk via de gemeente of de "
    "zorgverzekeraar in je regio. We reageren binnen vijf werkdagen."
)
st.page_link("pages/geleerde_lessen.py", label="Terug naar Geleerde lessen",
             icon=":material/arrow_back:")
