/**
 * Frozen: the glossary shipped with the app (migration 017), one "Arabic|English" pair a line. Synonyms and
 * abbreviations are further lines sharing one side. Written for Rasd from the UN's own Arabic and English usage
 * (treaty titles, committee names, UPR wording).
 */
const TEXT = `
العهد الدولي الخاص بالحقوق المدنية والسياسية|International Covenant on Civil and Political Rights
العهد الدولي الخاص بالحقوق المدنية والسياسية|ICCPR
العهد الدولي الخاص بالحقوق الاقتصادية والاجتماعية والثقافية|International Covenant on Economic, Social and Cultural Rights
العهد الدولي الخاص بالحقوق الاقتصادية والاجتماعية والثقافية|ICESCR
اتفاقية مناهضة التعذيب|Convention against Torture
اتفاقية مناهضة التعذيب|CAT
اتفاقية مناهضة التعذيب وغيره من ضروب المعاملة أو العقوبة القاسية أو اللاإنسانية أو المهينة|Convention against Torture and Other Cruel, Inhuman or Degrading Treatment or Punishment
البروتوكول الاختياري لاتفاقية مناهضة التعذيب|Optional Protocol to the Convention against Torture
البروتوكول الاختياري لاتفاقية مناهضة التعذيب|OPCAT
البروتوكول الاختياري لاتفاقية مناهضة التعذيب|OP-CAT
اتفاقية القضاء على جميع أشكال التمييز ضد المرأة|Convention on the Elimination of All Forms of Discrimination against Women
اتفاقية القضاء على جميع أشكال التمييز ضد المرأة|CEDAW
اتفاقية سيداو|CEDAW
البروتوكول الاختياري لاتفاقية القضاء على جميع أشكال التمييز ضد المرأة|Optional Protocol to CEDAW
البروتوكول الاختياري لاتفاقية القضاء على جميع أشكال التمييز ضد المرأة|OP-CEDAW
اتفاقية حقوق الطفل|Convention on the Rights of the Child
اتفاقية حقوق الطفل|CRC
البروتوكول الاختياري بشأن اشتراك الأطفال في المنازعات المسلحة|Optional Protocol on the involvement of children in armed conflict
البروتوكول الاختياري بشأن اشتراك الأطفال في المنازعات المسلحة|OPAC
البروتوكول الاختياري بشأن اشتراك الأطفال في المنازعات المسلحة|OP-CRC-AC
البروتوكول الاختياري بشأن بيع الأطفال واستغلال الأطفال في البغاء وفي المواد الإباحية|Optional Protocol on the sale of children, child prostitution and child pornography
البروتوكول الاختياري بشأن بيع الأطفال واستغلال الأطفال في البغاء وفي المواد الإباحية|OPSC
البروتوكول الاختياري بشأن بيع الأطفال واستغلال الأطفال في البغاء وفي المواد الإباحية|OP-CRC-SC
البروتوكول الاختياري لاتفاقية حقوق الطفل المتعلق بإجراء تقديم البلاغات|Optional Protocol on a communications procedure
الاتفاقية الدولية للقضاء على جميع أشكال التمييز العنصري|International Convention on the Elimination of All Forms of Racial Discrimination
الاتفاقية الدولية للقضاء على جميع أشكال التمييز العنصري|ICERD
الاتفاقية الدولية للقضاء على جميع أشكال التمييز العنصري|CERD
اتفاقية حقوق الأشخاص ذوي الإعاقة|Convention on the Rights of Persons with Disabilities
اتفاقية حقوق الأشخاص ذوي الإعاقة|CRPD
البروتوكول الاختياري لاتفاقية حقوق الأشخاص ذوي الإعاقة|Optional Protocol to the Convention on the Rights of Persons with Disabilities
الاتفاقية الدولية لحماية حقوق جميع العمال المهاجرين وأفراد أسرهم|International Convention on the Protection of the Rights of All Migrant Workers and Members of Their Families
الاتفاقية الدولية لحماية حقوق جميع العمال المهاجرين وأفراد أسرهم|ICRMW
الاتفاقية الدولية لحماية حقوق جميع العمال المهاجرين وأفراد أسرهم|CMW
الاتفاقية الدولية لحماية جميع الأشخاص من الاختفاء القسري|International Convention for the Protection of All Persons from Enforced Disappearance
الاتفاقية الدولية لحماية جميع الأشخاص من الاختفاء القسري|ICPPED
الاتفاقية الدولية لحماية جميع الأشخاص من الاختفاء القسري|CED
البروتوكول الاختياري الأول للعهد الدولي الخاص بالحقوق المدنية والسياسية|First Optional Protocol to the ICCPR
البروتوكول الاختياري الأول للعهد الدولي الخاص بالحقوق المدنية والسياسية|ICCPR-OP1
البروتوكول الاختياري الثاني للعهد الدولي الخاص بالحقوق المدنية والسياسية|Second Optional Protocol to the ICCPR
البروتوكول الاختياري الثاني للعهد الدولي الخاص بالحقوق المدنية والسياسية|ICCPR-OP2
البروتوكول الاختياري الثاني للعهد الدولي الخاص بالحقوق المدنية والسياسية|Second Optional Protocol aiming at the abolition of the death penalty
البروتوكول الاختياري للعهد الدولي الخاص بالحقوق الاقتصادية والاجتماعية والثقافية|Optional Protocol to the ICESCR
البروتوكول الاختياري للعهد الدولي الخاص بالحقوق الاقتصادية والاجتماعية والثقافية|OP-ICESCR
الإعلان العالمي لحقوق الإنسان|Universal Declaration of Human Rights
الإعلان العالمي لحقوق الإنسان|UDHR
إعلان وبرنامج عمل فيينا|Vienna Declaration and Programme of Action
إعلان وبرنامج عمل ديربان|Durban Declaration and Programme of Action
إعلان ومنهاج عمل بيجين|Beijing Declaration and Platform for Action
إعلان الأمم المتحدة بشأن المدافعين عن حقوق الإنسان|Declaration on Human Rights Defenders
إعلان الأمم المتحدة بشأن حقوق الشعوب الأصلية|United Nations Declaration on the Rights of Indigenous Peoples
نظام روما الأساسي|Rome Statute
نظام روما الأساسي للمحكمة الجنائية الدولية|Rome Statute of the International Criminal Court
المحكمة الجنائية الدولية|International Criminal Court
المحكمة الجنائية الدولية|ICC
اتفاقية عام 1951 الخاصة بوضع اللاجئين|1951 Convention relating to the Status of Refugees
اتفاقية اللاجئين|Refugee Convention
بروتوكول عام 1967 الخاص بوضع اللاجئين|1967 Protocol relating to the Status of Refugees
اتفاقية عام 1954 بشأن وضع الأشخاص عديمي الجنسية|1954 Convention relating to the Status of Stateless Persons
اتفاقية عام 1961 بشأن خفض حالات انعدام الجنسية|1961 Convention on the Reduction of Statelessness
بروتوكول منع وقمع ومعاقبة الاتجار بالأشخاص وبخاصة النساء والأطفال|Protocol to Prevent, Suppress and Punish Trafficking in Persons, Especially Women and Children
بروتوكول باليرمو|Palermo Protocol
اتفاقية الأمم المتحدة لمكافحة الجريمة المنظمة عبر الوطنية|United Nations Convention against Transnational Organized Crime
اتفاقية الأمم المتحدة لمكافحة الفساد|United Nations Convention against Corruption
اتفاقية الأمم المتحدة لمكافحة الفساد|UNCAC
اتفاقية منظمة العمل الدولية رقم 189|ILO Convention No. 189
اتفاقية العمال المنزليين|Domestic Workers Convention
اتفاقية العمال المنزليين|ILO Convention No. 189
اتفاقية منظمة العمل الدولية رقم 29 بشأن العمل الجبري|ILO Forced Labour Convention
اتفاقية منظمة العمل الدولية رقم 87 بشأن الحرية النقابية|ILO Freedom of Association Convention
اتفاقية منظمة العمل الدولية رقم 98 بشأن حق التنظيم والمفاوضة الجماعية|ILO Right to Organise and Collective Bargaining Convention
اتفاقية منظمة العمل الدولية رقم 100 بشأن المساواة في الأجور|ILO Equal Remuneration Convention
اتفاقية منظمة العمل الدولية رقم 111 بشأن التمييز في الاستخدام والمهنة|ILO Discrimination (Employment and Occupation) Convention
اتفاقية منظمة العمل الدولية رقم 138 بشأن الحد الأدنى للسن|ILO Minimum Age Convention
اتفاقية منظمة العمل الدولية رقم 182 بشأن أسوأ أشكال عمل الأطفال|ILO Worst Forms of Child Labour Convention
منظمة العمل الدولية|International Labour Organization
منظمة العمل الدولية|ILO
اتفاقيات جنيف|Geneva Conventions
القانون الدولي الإنساني|international humanitarian law
القانون الدولي لحقوق الإنسان|international human rights law
الميثاق العربي لحقوق الإنسان|Arab Charter on Human Rights
اتفاقية اليونسكو لمكافحة التمييز في مجال التعليم|UNESCO Convention against Discrimination in Education
معاهدة مراكش|Marrakesh Treaty
قواعد الأمم المتحدة النموذجية الدنيا لمعاملة السجناء|United Nations Standard Minimum Rules for the Treatment of Prisoners
قواعد نيلسون مانديلا|Nelson Mandela Rules
قواعد بانكوك|Bangkok Rules
مبادئ باريس|Paris Principles
بروتوكول إسطنبول|Istanbul Protocol
المبادئ التوجيهية بشأن الأعمال التجارية وحقوق الإنسان|Guiding Principles on Business and Human Rights
المعاهدات الأساسية لحقوق الإنسان|core human rights treaties
الصكوك الدولية لحقوق الإنسان|international human rights instruments
الصكوك الدولية لحقوق الإنسان|international instruments
البروتوكولات الاختيارية|optional protocols
البروتوكول الاختياري|optional protocol
الاتفاقية|convention
العهد|covenant
المعاهدة|treaty
المعاهدات|treaties
مجلس حقوق الإنسان|Human Rights Council
مجلس حقوق الإنسان|HRC
الاستعراض الدوري الشامل|Universal Periodic Review
الاستعراض الدوري الشامل|UPR
الفريق العامل المعني بالاستعراض الدوري الشامل|Working Group on the Universal Periodic Review
الجولة الأولى|first cycle
الجولة الثانية|second cycle
الجولة الثالثة|third cycle
الجولة الرابعة|fourth cycle
دورة الاستعراض|review cycle
تقرير الفريق العامل|report of the Working Group
التقرير الوطني|national report
تقرير منتصف المدة|mid-term report
التقرير المرحلي|mid-term report
الدولة موضوع الاستعراض|State under review
الدولة الموصية|recommending State
الدول الموصية|recommending States
الترويكا|troika
مفوضية الأمم المتحدة السامية لحقوق الإنسان|Office of the United Nations High Commissioner for Human Rights
مفوضية الأمم المتحدة السامية لحقوق الإنسان|OHCHR
المفوض السامي لحقوق الإنسان|High Commissioner for Human Rights
مفوضية الأمم المتحدة السامية لشؤون اللاجئين|United Nations High Commissioner for Refugees
مفوضية الأمم المتحدة السامية لشؤون اللاجئين|UNHCR
منظمة الأمم المتحدة للطفولة|United Nations Children's Fund
منظمة الأمم المتحدة للطفولة|UNICEF
اليونيسف|UNICEF
هيئة الأمم المتحدة للمرأة|UN-Women
صندوق الأمم المتحدة للسكان|UNFPA
برنامج الأمم المتحدة الإنمائي|UNDP
مكتب الأمم المتحدة المعني بالمخدرات والجريمة|UNODC
منظمة الأمم المتحدة للتربية والعلم والثقافة|UNESCO
منظمة الصحة العالمية|World Health Organization
منظمة الصحة العالمية|WHO
المنظمة الدولية للهجرة|International Organization for Migration
المنظمة الدولية للهجرة|IOM
الجمعية العامة|General Assembly
مجلس الأمن|Security Council
الأمم المتحدة|United Nations
الأمم المتحدة|UN
اللجنة المعنية بحقوق الإنسان|Human Rights Committee
اللجنة المعنية بحقوق الإنسان|CCPR
اللجنة المعنية بالحقوق الاقتصادية والاجتماعية والثقافية|Committee on Economic, Social and Cultural Rights
اللجنة المعنية بالحقوق الاقتصادية والاجتماعية والثقافية|CESCR
لجنة مناهضة التعذيب|Committee against Torture
اللجنة الفرعية لمنع التعذيب|Subcommittee on Prevention of Torture
اللجنة الفرعية لمنع التعذيب|SPT
اللجنة المعنية بالقضاء على التمييز ضد المرأة|Committee on the Elimination of Discrimination against Women
لجنة حقوق الطفل|Committee on the Rights of the Child
لجنة القضاء على التمييز العنصري|Committee on the Elimination of Racial Discrimination
اللجنة المعنية بحقوق الأشخاص ذوي الإعاقة|Committee on the Rights of Persons with Disabilities
اللجنة المعنية بالعمال المهاجرين|Committee on Migrant Workers
اللجنة المعنية بحالات الاختفاء القسري|Committee on Enforced Disappearances
هيئات المعاهدات|treaty bodies
هيئة معاهدة|treaty body
الملاحظات الختامية|concluding observations
التعليقات العامة|general comments
التعليق العام|general comment
التوصية العامة|general recommendation
الإجراءات الخاصة|special procedures
المقرر الخاص|Special Rapporteur
المقررون الخاصون|special rapporteurs
الخبير المستقل|Independent Expert
الفريق العامل|working group
الفريق العامل المعني بالاحتجاز التعسفي|Working Group on Arbitrary Detention
الفريق العامل المعني بحالات الاختفاء القسري أو غير الطوعي|Working Group on Enforced or Involuntary Disappearances
المقرر الخاص المعني بالتعذيب|Special Rapporteur on torture
المقرر الخاص المعني بحرية الرأي والتعبير|Special Rapporteur on freedom of opinion and expression
المقرر الخاص المعني بالاتجار بالأشخاص|Special Rapporteur on trafficking in persons
المقرر الخاص المعني بحقوق المهاجرين|Special Rapporteur on the human rights of migrants
المقرر الخاص المعني بالعنف ضد المرأة|Special Rapporteur on violence against women
المقرر الخاص المعني بحالة المدافعين عن حقوق الإنسان|Special Rapporteur on the situation of human rights defenders
المقرر الخاص المعني بحرية الدين أو المعتقد|Special Rapporteur on freedom of religion or belief
المقرر الخاص المعني باستقلال القضاة والمحامين|Special Rapporteur on the independence of judges and lawyers
المقرر الخاص المعني بالأشكال المعاصرة للرق|Special Rapporteur on contemporary forms of slavery
المقرر الخاص المعني بالحق في التعليم|Special Rapporteur on the right to education
المقرر الخاص المعني بالسكن اللائق|Special Rapporteur on adequate housing
دعوة دائمة|standing invitation
دعوة مفتوحة ودائمة|standing invitation
زيارة قطرية|country visit
طلبات الزيارة|visit requests
البلاغات الفردية|individual communications
إجراء تقديم البلاغات|communications procedure
الاستعراض|review
المؤسسة الوطنية لحقوق الإنسان|national human rights institution
المؤسسة الوطنية لحقوق الإنسان|NHRI
المؤسسات الوطنية لحقوق الإنسان|national human rights institutions
ديوان حقوق الإنسان|national human rights institution
التحالف العالمي للمؤسسات الوطنية لحقوق الإنسان|Global Alliance of National Human Rights Institutions
التحالف العالمي للمؤسسات الوطنية لحقوق الإنسان|GANHRI
لجنة التنسيق الدولية|International Coordinating Committee
الاعتماد بالفئة ألف|A status accreditation
الآلية الوقائية الوطنية|national preventive mechanism
الآلية الوقائية الوطنية|NPM
الآلية الوطنية للتنفيذ والإبلاغ والمتابعة|national mechanism for implementation, reporting and follow-up
الآلية الوطنية للتنفيذ والإبلاغ والمتابعة|NMIRF
الآلية الوطنية للإبلاغ والمتابعة|national mechanism for reporting and follow-up
الآلية الوطنية للإبلاغ والمتابعة|NMRF
أمين المظالم|ombudsman
ديوان المظالم|ombudsperson institution
المجتمع المدني|civil society
منظمات المجتمع المدني|civil society organizations
المنظمات غير الحكومية|non-governmental organizations
المنظمات غير الحكومية|NGOs
أصحاب المصلحة|stakeholders
المساعدة التقنية|technical assistance
بناء القدرات|capacity-building
التعاون الدولي|international cooperation
التعاون مع آليات حقوق الإنسان|cooperation with human rights mechanisms
آليات حقوق الإنسان|human rights mechanisms
خطة العمل الوطنية|national action plan
خطة العمل الوطنية لحقوق الإنسان|national human rights action plan
الاستراتيجية الوطنية|national strategy
خطة التنمية المستدامة لعام 2030|2030 Agenda for Sustainable Development
أهداف التنمية المستدامة|Sustainable Development Goals
أهداف التنمية المستدامة|SDGs
حقوق الإنسان|human rights
حقوق الإنسان|HR
الحقوق المدنية والسياسية|civil and political rights
الحقوق الاقتصادية والاجتماعية والثقافية|economic, social and cultural rights
الحريات الأساسية|fundamental freedoms
الحق في الحياة|right to life
الحق في الحرية والأمان على شخصه|right to liberty and security of person
الحق في محاكمة عادلة|right to a fair trial
المحاكمة العادلة|fair trial
ضمانات المحاكمة العادلة|fair trial guarantees
الإجراءات القانونية الواجبة|due process
الحق في الاستعانة بمحام|right to counsel
الحق في الخصوصية|right to privacy
الخصوصية|privacy
حرية الرأي والتعبير|freedom of opinion and expression
حرية التعبير|freedom of expression
حرية الرأي|freedom of opinion
حرية الصحافة|freedom of the press
حرية الإعلام|media freedom
حرية الوصول إلى المعلومات|access to information
الحق في الحصول على المعلومات|right to information
حرية التجمع السلمي|freedom of peaceful assembly
حرية التجمع|freedom of assembly
حرية تكوين الجمعيات|freedom of association
الحق في تكوين النقابات|right to form trade unions
النقابات العمالية|trade unions
المفاوضة الجماعية|collective bargaining
الحق في الإضراب|right to strike
حرية الدين أو المعتقد|freedom of religion or belief
حرية الدين|freedom of religion
حرية الفكر والوجدان والدين|freedom of thought, conscience and religion
حرية التنقل|freedom of movement
الحق في مغادرة البلد|right to leave the country
وثائق السفر|travel documents
جوازات السفر|passports
حظر السفر|travel ban
الحق في المشاركة في الشؤون العامة|right to participate in public affairs
المشاركة السياسية|political participation
الحق في التصويت|right to vote
الحق في الترشح|right to stand for election
الانتخابات|elections
الحق في الجنسية|right to a nationality
الجنسية|nationality
الجنسية|citizenship
قانون الجنسية|nationality law
قانون الجنسية|citizenship law
التجنيس|naturalization
سحب الجنسية|deprivation of nationality
سحب الجنسية|revocation of citizenship
إسقاط الجنسية|deprivation of nationality
انعدام الجنسية|statelessness
عديمو الجنسية|stateless persons
عديمي الجنسية|stateless
عديمو الجنسية|stateless people
البدون|Bidoon
البدون|Bidun
البدون|Bedoon
البدون|Bedouns
البدون|Beduns
البدون|stateless
البدون|illegal residents
البدون|stateless residents
المقيمون بصورة غير قانونية|illegal residents
المقيمين بصورة غير قانونية|illegal residents
غير محددي الجنسية|illegal residents
الجهاز المركزي لمعالجة أوضاع المقيمين بصورة غير قانونية|Central System for Remedying the Status of Illegal Residents
الجهاز المركزي لمعالجة أوضاع المقيمين بصورة غير قانونية|Central Agency for Illegal Residents
تسجيل المواليد|birth registration
شهادات الميلاد|birth certificates
الوثائق المدنية|civil documents
الأوراق الثبوتية|identity documents
الحق في التعليم|right to education
التعليم|education
التعليم المجاني|free education
التعليم الإلزامي|compulsory education
التعليم الجامع|inclusive education
التعليم الابتدائي|primary education
الالتحاق بالمدارس|school enrolment
التسرب من المدارس|school dropout
الحق في الصحة|right to health
الصحة|health
الرعاية الصحية|health care
الخدمات الصحية|health services
الصحة الإنجابية|reproductive health
الصحة الجنسية والإنجابية|sexual and reproductive health
الصحة النفسية|mental health
فيروس نقص المناعة البشرية|HIV
الإيدز|AIDS
وفيات الأمهات|maternal mortality
وفيات الأطفال|child mortality
الحق في السكن اللائق|right to adequate housing
السكن|housing
السكن اللائق|adequate housing
الإخلاء القسري|forced eviction
الحق في الغذاء|right to food
الأمن الغذائي|food security
الحق في المياه والصرف الصحي|right to water and sanitation
المياه المأمونة|safe drinking water
الصرف الصحي|sanitation
الحق في العمل|right to work
ظروف العمل|working conditions
ظروف عمل عادلة ومرضية|just and favourable conditions of work
الحد الأدنى للأجور|minimum wage
الأجور|wages
الأجر المتساوي عن العمل المتساوي|equal pay for equal work
ساعات العمل|working hours
الراحة الأسبوعية|weekly rest
الحق في الضمان الاجتماعي|right to social security
الضمان الاجتماعي|social security
الحماية الاجتماعية|social protection
مستوى معيشي لائق|adequate standard of living
الفقر|poverty
مكافحة الفقر|poverty reduction
الحق في التنمية|right to development
الحق في بيئة نظيفة وصحية ومستدامة|right to a clean, healthy and sustainable environment
البيئة|environment
تغير المناخ|climate change
الحقوق الثقافية|cultural rights
الحق في المشاركة في الحياة الثقافية|right to take part in cultural life
المرأة|women
المرأة|woman
النساء|women
النساء|woman
الفتيات|girls
الفتاة|girl
النساء والفتيات|women and girls
حقوق المرأة|women's rights
حقوق المرأة|rights of women
تمكين المرأة|empowerment of women
تمكين المرأة|women's empowerment
المساواة بين الجنسين|gender equality
المساواة بين الرجل والمرأة|equality between men and women
النوع الاجتماعي|gender
مشاركة المرأة|participation of women
تمثيل المرأة|representation of women
المرأة في الحياة السياسية|women in political life
المرأة في مواقع صنع القرار|women in decision-making positions
التمييز ضد المرأة|discrimination against women
العنف ضد المرأة|violence against women
العنف القائم على النوع الاجتماعي|gender-based violence
العنف الجنساني|gender-based violence
العنف المنزلي|domestic violence
العنف الأسري|domestic violence
العنف الأسري|family violence
العنف الجنسي|sexual violence
الاغتصاب|rape
الاغتصاب الزوجي|marital rape
التحرش الجنسي|sexual harassment
جرائم الشرف|honour crimes
الجرائم المرتكبة باسم الشرف|crimes committed in the name of honour
تشويه الأعضاء التناسلية للإناث|female genital mutilation
ختان الإناث|female genital mutilation
تشويه الأعضاء التناسلية للإناث|FGM
زواج الأطفال|child marriage
الزواج المبكر|early marriage
الزواج القسري|forced marriage
الحد الأدنى لسن الزواج|minimum age of marriage
سن الزواج|marriage age
قانون الأحوال الشخصية|personal status law
قانون الأحوال الشخصية|Personal Status Code
قانون الأسرة|family law
الولاية|guardianship
نظام الولاية الذكورية|male guardianship system
الطلاق|divorce
حضانة الأطفال|child custody
الميراث|inheritance
منح الجنسية لأبناء المرأة المواطنة|transmission of nationality to children of nationals
المرأة المتزوجة من أجنبي|women married to foreigners
أبناء الكويتيات|children of Kuwaiti women
الأمهات العازبات|single mothers
الأرامل|widows
دور الإيواء|shelters
دور إيواء ضحايا العنف|shelters for victims of violence
الطفل|child
الأطفال|children
الطفل|children
حقوق الطفل|rights of the child
حقوق الطفل|children's rights
قانون حقوق الطفل|Child Rights Law
مصالح الطفل الفضلى|best interests of the child
عمل الأطفال|child labour
عمالة الأطفال|child labour
العقوبة البدنية|corporal punishment
العقاب البدني|corporal punishment
قضاء الأحداث|juvenile justice
الأحداث|juveniles
سن المسؤولية الجنائية|age of criminal responsibility
الحد الأدنى لسن المسؤولية الجنائية|minimum age of criminal responsibility
الأطفال في نزاع مع القانون|children in conflict with the law
الأطفال المهاجرون|migrant children
الأطفال غير المصحوبين|unaccompanied children
أطفال الشوارع|street children
الاستغلال الجنسي للأطفال|sexual exploitation of children
الإساءة إلى الأطفال|child abuse
إهمال الأطفال|child neglect
الأطفال ذوو الإعاقة|children with disabilities
الشباب|youth
الشباب|young people
كبار السن|older persons
المسنون|older persons
المسنين|elderly
الأشخاص ذوو الإعاقة|persons with disabilities
الأشخاص ذوي الإعاقة|persons with disabilities
المعوقين|disabled persons
الإعاقة|disability
حقوق الأشخاص ذوي الإعاقة|rights of persons with disabilities
إمكانية الوصول|accessibility
الترتيبات التيسيرية المعقولة|reasonable accommodation
العيش المستقل|independent living
الإدماج|inclusion
الأقليات|minorities
الأقليات الدينية|religious minorities
الأقليات العرقية|ethnic minorities
الشعوب الأصلية|indigenous peoples
العمال المهاجرون|migrant workers
العمال المهاجرين|migrant workers
العمالة الوافدة|migrant workers
العمالة الوافدة|foreign workers
العمال الأجانب|foreign workers
الوافدون|expatriates
المهاجرون|migrants
المهاجرين|migrants
الهجرة|migration
العمال المنزليون|domestic workers
العمال المنزليين|domestic workers
عمال المنازل|domestic workers
العمالة المنزلية|domestic workers
العمالة المنزلية|domestic work
الخدم في المنازل|domestic servants
عاملات المنازل|female domestic workers
العاملات المنزليات|women domestic workers
قانون العمالة المنزلية|Domestic Workers Law
قانون العمل|Labour Law
قانون العمل في القطاع الأهلي|Labour Law in the private sector
قانون العمل|labour code
حماية قانون العمل|protection of labour law
نظام الكفالة|sponsorship system
نظام الكفالة|kafala system
الكفالة|sponsorship
الكفيل|sponsor
الكفالة|kafala
نقل الكفالة|transfer of sponsorship
تغيير صاحب العمل|change employers
مصادرة جوازات السفر|confiscation of passports
احتجاز جوازات السفر|retention of passports
الأجور غير المدفوعة|unpaid wages
تأخير الأجور|late payment of wages
مكاتب الاستقدام|recruitment agencies
وكالات التوظيف|recruitment agencies
رسوم الاستقدام|recruitment fees
العمل الجبري|forced labour
السخرة|forced labour
الرق|slavery
الأشكال المعاصرة للرق|contemporary forms of slavery
عبودية الدين|debt bondage
الاستغلال|exploitation
الاستغلال الاقتصادي|economic exploitation
الاتجار بالبشر|trafficking in human beings
الاتجار بالأشخاص|trafficking in persons
الاتجار بالأشخاص|human trafficking
الاتجار بالبشر|human trafficking
الاتجار|trafficking
ضحايا الاتجار|victims of trafficking
ضحايا الاتجار بالأشخاص|victims of trafficking in persons
مكافحة الاتجار بالبشر|combating trafficking in persons
قانون مكافحة الاتجار بالأشخاص|anti-trafficking law
تهريب المهاجرين|smuggling of migrants
اللاجئون|refugees
اللاجئين|refugees
ملتمسو اللجوء|asylum seekers
طالبي اللجوء|asylum-seekers
اللجوء|asylum
عدم الإعادة القسرية|non-refoulement
الإعادة القسرية|refoulement
الترحيل|deportation
الإبعاد|expulsion
الإبعاد الإداري|administrative deportation
احتجاز المهاجرين|immigration detention
النازحون داخلياً|internally displaced persons
المدافعون عن حقوق الإنسان|human rights defenders
المدافعين عن حقوق الإنسان|human rights defenders
الصحفيون|journalists
الصحفيين|journalists
المدونون|bloggers
الناشطون|activists
المعارضون السياسيون|political opponents
سجناء الرأي|prisoners of conscience
المحتجزون|detainees
المحتجزين|detainees
السجناء|prisoners
السجناء|inmates
المثليات والمثليون ومزدوجو الميل الجنسي ومغايرو الهوية الجنسانية|lesbian, gay, bisexual and transgender persons
الميل الجنسي|sexual orientation
الهوية الجنسانية|gender identity
الفئات الضعيفة|vulnerable groups
الفئات المستضعفة|vulnerable groups
الفئات المهمشة|marginalized groups
الفئات الأكثر ضعفاً|most vulnerable groups
ضحايا|victims
الضحايا|victims
الناجون|survivors
التعذيب|torture
مناهضة التعذيب|prevention of torture
منع التعذيب|prevention of torture
تجريم التعذيب|criminalization of torture
تعريف التعذيب|definition of torture
سوء المعاملة|ill-treatment
المعاملة القاسية أو اللاإنسانية أو المهينة|cruel, inhuman or degrading treatment
ضروب المعاملة القاسية|cruel treatment
ادعاءات التعذيب|allegations of torture
الاعترافات المنتزعة تحت الإكراه|confessions obtained under duress
الاعترافات المنتزعة بالتعذيب|confessions obtained under torture
الاحتجاز التعسفي|arbitrary detention
الاعتقال التعسفي|arbitrary arrest
الحرمان من الحرية|deprivation of liberty
الاحتجاز السابق للمحاكمة|pretrial detention
الحبس الاحتياطي|pretrial detention
الحبس الانفرادي|solitary confinement
الاحتجاز بمعزل عن العالم الخارجي|incommunicado detention
الاحتجاز الإداري|administrative detention
أماكن الاحتجاز|places of detention
أماكن الحرمان من الحرية|places of deprivation of liberty
مرافق الاحتجاز|detention facilities
ظروف الاحتجاز|conditions of detention
السجون|prisons
ظروف السجون|prison conditions
اكتظاظ السجون|prison overcrowding
الاكتظاظ|overcrowding
رصد أماكن الاحتجاز|monitoring of places of detention
الزيارات المستقلة|independent visits
الاختفاء القسري|enforced disappearance
حالات الاختفاء القسري|enforced disappearances
الإعدام خارج نطاق القضاء|extrajudicial executions
القتل خارج نطاق القضاء|extrajudicial killings
الإفلات من العقاب|impunity
المساءلة|accountability
سبل الانتصاف|remedies
سبل الانتصاف الفعالة|effective remedies
جبر الضرر|reparation
التعويض|compensation
إعادة التأهيل|rehabilitation
الوصول إلى العدالة|access to justice
المساعدة القانونية|legal aid
المساعدة القانونية المجانية|free legal aid
عقوبة الإعدام|death penalty
عقوبة الإعدام|capital punishment
الإعدام|execution
حالات الإعدام|executions
وقف اختياري لتنفيذ عقوبة الإعدام|moratorium on executions
الوقف الاختياري|moratorium
وقف تنفيذ أحكام الإعدام|moratorium on the death penalty
إلغاء عقوبة الإعدام|abolition of the death penalty
إلغاء عقوبة الإعدام|abolish the death penalty
تخفيف أحكام الإعدام|commutation of death sentences
أشد الجرائم خطورة|most serious crimes
الجرائم المتعلقة بالمخدرات|drug-related offences
العقوبات البدنية|corporal punishment
الجلد|flogging
استقلال القضاء|independence of the judiciary
استقلال السلطة القضائية|judicial independence
القضاء|judiciary
السلطة القضائية|judicial power
القضاة|judges
المحامون|lawyers
النيابة العامة|public prosecution
المدعي العام|prosecutor
المحاكم|courts
المحكمة الدستورية|Constitutional Court
المحاكم العسكرية|military courts
المحاكم الاستثنائية|exceptional courts
أمن الدولة|State security
سيادة القانون|rule of law
إقامة العدل|administration of justice
إنفاذ القانون|law enforcement
الموظفون المكلفون بإنفاذ القانون|law enforcement officials
الشرطة|police
قوات الأمن|security forces
الاستخدام المفرط للقوة|excessive use of force
استخدام القوة|use of force
مكافحة الإرهاب|counter-terrorism
مكافحة الإرهاب|combating terrorism
قانون مكافحة الإرهاب|counter-terrorism law
الإرهاب|terrorism
حالة الطوارئ|state of emergency
الأمن الوطني|national security
التشهير|defamation
تجريم التشهير|criminalization of defamation
الإساءة إلى الذات الأميرية|offending the Emir
ازدراء الأديان|blasphemy
ازدراء الأديان|defamation of religions
قانون المطبوعات والنشر|Press and Publications Law
قانون المطبوعات والنشر|Printing and Publications Law
قانون الإعلام المرئي والمسموع|Audio-Visual Media Law
قانون الجرائم الإلكترونية|Cybercrime Law
قانون التجمعات|Public Gatherings Law
الرقابة|censorship
حجب المواقع الإلكترونية|blocking of websites
الإنترنت|Internet
وسائل التواصل الاجتماعي|social media
خطاب الكراهية|hate speech
التحريض على الكراهية|incitement to hatred
التمييز|discrimination
عدم التمييز|non-discrimination
المساواة|equality
المساواة أمام القانون|equality before the law
التمييز العنصري|racial discrimination
العنصرية|racism
كره الأجانب|xenophobia
التعصب|intolerance
التسامح|tolerance
التسامح الديني|religious tolerance
الحوار بين الأديان|interfaith dialogue
الحوار بين الثقافات|intercultural dialogue
التمييز على أساس الجنس|sex-based discrimination
التمييز على أساس الجنس|discrimination based on sex
التمييز على أساس النوع الاجتماعي|gender discrimination
التمييز المتعدد الجوانب|intersectional discrimination
قانون شامل لمكافحة التمييز|comprehensive anti-discrimination law
تعريف التمييز|definition of discrimination
الفساد|corruption
مكافحة الفساد|anti-corruption
مكافحة الفساد|combating corruption
هيئة مكافحة الفساد|anti-corruption authority
الشفافية|transparency
الحكم الرشيد|good governance
الديمقراطية|democracy
البرلمان|parliament
مجلس الأمة|National Assembly
الدستور|Constitution
الإصلاح الدستوري|constitutional reform
التشريعات الوطنية|national legislation
القانون الجزائي|Penal Code
قانون الجزاء|Penal Code
قانون العقوبات|Criminal Code
قانون الإجراءات الجزائية|Code of Criminal Procedure
قانون الإجراءات والمحاكمات الجزائية|Code of Criminal Procedure and Trials
القانون المدني|Civil Code
الإطار القانوني|legal framework
الإطار المؤسسي|institutional framework
الموارد الكافية|adequate resources
الموارد البشرية والمالية|human and financial resources
الميزانية|budget
البيانات المصنفة|disaggregated data
جمع البيانات|data collection
الإحصاءات|statistics
المؤشرات|indicators
التثقيف في مجال حقوق الإنسان|human rights education
التربية على حقوق الإنسان|human rights education
التدريب على حقوق الإنسان|human rights training
التوعية|awareness-raising
حملات التوعية|awareness campaigns
نشر الوعي|raise awareness
المناهج الدراسية|school curricula
المناهج|curricula
القوالب النمطية|stereotypes
القوالب النمطية الجنسانية|gender stereotypes
وسائل الإعلام|media
الأعمال التجارية وحقوق الإنسان|business and human rights
الشركات|companies
القطاع الخاص|private sector
المسؤولية الاجتماعية للشركات|corporate social responsibility
التفتيش على العمل|labour inspection
مفتشو العمل|labour inspectors
الصحة والسلامة المهنيتان|occupational health and safety
تسوية المنازعات العمالية|labour dispute settlement
الشكاوى|complaints
آلية الشكاوى|complaints mechanism
آليات تقديم الشكاوى|complaint mechanisms
التحقيق|investigation
التحقيقات|investigations
الملاحقة القضائية|prosecution
الجناة|perpetrators
معاقبة الجناة|punish perpetrators
العقوبات المناسبة|appropriate penalties
الإبلاغ|reporting
تقديم التقارير|submission of reports
التقارير المتأخرة|overdue reports
التقارير الدورية|periodic reports
المتابعة|follow-up
متابعة التوصيات|follow-up to recommendations
تنفيذ التوصيات|implementation of recommendations
التوصيات|recommendations
التوصية|recommendation
التوصيات المقبولة|accepted recommendations
التوصيات المؤيدة|supported recommendations
التوصيات المحاط بها علماً|noted recommendations
أُحيط بها علماً|noted
تحظى بالتأييد|supported
مقبولة|accepted
مرفوضة|rejected
قيد النظر|under consideration
الالتزامات الطوعية|voluntary commitments
التعهدات الطوعية|voluntary pledges
التحفظات|reservations
التحفظ|reservation
الإعلانات التفسيرية|interpretative declarations
سحب التحفظات|withdraw reservations
سحب التحفظات|withdrawal of reservations
رفع التحفظات|lift reservations
مراجعة التحفظات|review reservations
التصديق|ratification
الانضمام|accession
التوقيع|signature
يصادق|ratify
تصادق|ratify
التصديق على|ratify
تنضم|accede
الانضمام إلى|accede to
النظر في التصديق|consider ratifying
النظر في الانضمام|consider acceding
تعتمد|adopt
اعتماد|adoption
سن قانون|enact a law
تسن|enact
تعدل|amend
تعديل|amendment
تعديل التشريعات|amend legislation
تلغي|abolish
إلغاء|abolition
إلغاء|repeal
تلغي|repeal
تجرم|criminalize
تجريم|criminalization
إلغاء التجريم|decriminalize
إلغاء التجريم|decriminalization
تعزز|strengthen
تعزيز|strengthening
تعزيز|promotion
حماية|protection
تعزيز وحماية حقوق الإنسان|promotion and protection of human rights
تكفل|ensure
تضمن|guarantee
ضمان|guarantee
مواصلة|continue
مواصلة الجهود|continue efforts
تكثف|intensify
تكثيف الجهود|intensify efforts
تتخذ تدابير|take measures
اتخاذ التدابير اللازمة|take the necessary measures
اتخاذ تدابير فعالة|take effective measures
التدابير التشريعية|legislative measures
التدابير الإدارية|administrative measures
تنشئ|establish
إنشاء|establishment
إنشاء مؤسسة وطنية لحقوق الإنسان|establish a national human rights institution
تنفذ|implement
التنفيذ|implementation
التنفيذ الفعال|effective implementation
تنظر في|consider
تكافح|combat
مكافحة|combating
تقضي على|eliminate
القضاء على|elimination
تمنع|prevent
منع|prevention
الوقاية|prevention
تحقق في|investigate
التحقيق في|investigate
تحاكم|prosecute
محاكمة|prosecution
تحمي|protect
تعزز وتحمي|promote and protect
تواءم|harmonize
مواءمة التشريعات|harmonize legislation
مواءمة التشريعات الوطنية مع المعايير الدولية|bring national legislation into line with international standards
المعايير الدولية|international standards
الالتزامات الدولية|international obligations
تتعاون|cooperate
التعاون|cooperation
تدعو|invite
توجه دعوة دائمة|extend a standing invitation
تيسر|facilitate
تخصص موارد|allocate resources
ترفع مستوى الوعي|raise awareness
تدرب|train
تدريب|training
تدريب الموظفين المكلفين بإنفاذ القانون|training of law enforcement officials
إعادة النظر|review
ترصد|monitor
الرصد|monitoring
التقييم|evaluation
تكفل الحماية|ensure protection
تعترف|recognize
الاعتراف|recognition
تسجل|register
التسجيل|registration
تسوية أوضاع|regularize the status
تسوية الوضع القانوني|regularization of legal status
توفر|provide
توفير|provision
إمكانية الحصول على|access to
الحصول على الخدمات|access to services
الخدمات الاجتماعية|social services
الخدمات العامة|public services
الإسكان الحكومي|public housing
الحق في الملكية|right to property
العمل|work
العمال|workers
العمالة|labour
القوى العاملة|workforce
البطالة|unemployment
التوظيف|employment
فرص العمل|employment opportunities
المرأة العاملة|working women
إجازة الأمومة|maternity leave
رعاية الطفل|childcare
الأسرة|family
حماية الأسرة|protection of the family
لم شمل الأسرة|family reunification
المجتمع|society
المواطنون|citizens
المواطنين|nationals
غير المواطنين|non-citizens
الأجانب|foreigners
السكان|population
التجنيد|recruitment
تجنيد الأطفال|recruitment of children
النزاع المسلح|armed conflict
السلام|peace
التنمية|development
التنمية المستدامة|sustainable development
المساعدة الإنسانية|humanitarian assistance
المساعدة الإنمائية الرسمية|official development assistance
الحق في تقرير المصير|right to self-determination
الأراضي الفلسطينية المحتلة|Occupied Palestinian Territory
الاحتلال|occupation
الشعب الفلسطيني|Palestinian people
المعايير الدنيا|minimum standards
حقوق|rights
حق|right
الحقوق|rights
الحريات|freedoms
الحرية|freedom
الكرامة|dignity
الكرامة الإنسانية|human dignity
الإنسان|human
الدولة|State
الدول|States
الحكومة|Government
السلطات|authorities
وزارة العدل|Ministry of Justice
وزارة الداخلية|Ministry of Interior
وزارة الخارجية|Ministry of Foreign Affairs
وزارة الشؤون الاجتماعية والعمل|Ministry of Social Affairs and Labour
وزارة الشؤون الاجتماعية|Ministry of Social Affairs
وزارة التربية|Ministry of Education
وزارة الصحة|Ministry of Health
وزارة الإعلام|Ministry of Information
الهيئة العامة للقوى العاملة|Public Authority for Manpower
اللجنة الوطنية|national committee
اللجنة الوطنية لحقوق الإنسان|national human rights committee
الجمعيات الأهلية|associations
جمعيات النفع العام|public benefit associations
قانون الجمعيات|Law on Associations
تسجيل الجمعيات|registration of associations
الأحزاب السياسية|political parties
التظاهر|demonstrations
المظاهرات|demonstrations
الاحتجاجات السلمية|peaceful protests
المحتجون|protesters
الاعتقال|arrest
الاعتقالات|arrests
التوقيف|arrest
الاحتجاز|detention
المحتجز|detainee
الإفراج|release
الإفراج عن|release
العفو|pardon
العفو العام|amnesty
الملاحقة|prosecution
المحاكمة|trial
الأحكام|sentences
الاستئناف|appeal
الطعن|appeal
الأدلة|evidence
الشهود|witnesses
حماية الشهود|witness protection
المترجم الفوري|interpreter
الترجمة الشفوية|interpretation
الوصول إلى محام|access to a lawyer
الوصول إلى القنصلية|consular access
الفحص الطبي|medical examination
الطب الشرعي|forensic medicine
المسؤولية الجنائية|criminal responsibility
المسؤولية|responsibility
الولاية القضائية العالمية|universal jurisdiction
التسليم|extradition
الإرهابيون|terrorists
التطرف العنيف|violent extremism
التطرف|extremism
الشباب المعرضون للخطر|youth at risk
المخدرات|drugs
الجرائم|crimes
الجريمة|crime
الضحية|victim
خط المساعدة|helpline
خط ساخن|hotline
مراكز الحماية|protection centres
إعادة الإدماج|reintegration
الإدماج الاجتماعي|social inclusion
الاندماج|integration
العيش الكريم|decent living
العمل اللائق|decent work
الأجر|pay
الفجوة في الأجور بين الجنسين|gender pay gap
الحصص|quotas
نظام الحصص|quota system
التدابير الخاصة المؤقتة|temporary special measures
الإجراءات الإيجابية|affirmative action
المناصب القيادية|leadership positions
السلك الدبلوماسي|diplomatic service
القضاء والنيابة|judiciary and prosecution
المرأة في القضاء|women in the judiciary
حق المرأة في التصويت|women's right to vote
حقوق المرأة السياسية|women's political rights
الحقوق الإنجابية|reproductive rights
الإجهاض|abortion
وسائل منع الحمل|contraception
تنظيم الأسرة|family planning
التثقيف الجنسي|sexuality education
الزنا|adultery
العلاقات الجنسية بالتراضي|consensual sexual relations
العلاقات المثلية|same-sex relations
تغيير الجنس|gender reassignment
الإعاقة الذهنية|intellectual disability
الإعاقة النفسية الاجتماعية|psychosocial disability
لغة الإشارة|sign language
طريقة برايل|Braille
المجلس الأعلى لشؤون الأشخاص ذوي الإعاقة|Higher Council for Persons with Disabilities
الهيئة العامة لشؤون ذوي الإعاقة|Public Authority for Disabled Affairs
الرعاية الاجتماعية|social welfare
المعاشات|pensions
التقاعد|retirement
التأمين الصحي|health insurance
الحق في الزواج|right to marry
الزواج|marriage
الزوجة|wife
الزوج|husband
الأم|mother
الأب|father
الوالدين|parents
تسجيل الزواج|marriage registration
الأطفال المولودون خارج إطار الزواج|children born out of wedlock
الأطفال مجهولو الأبوين|children of unknown parents
الأيتام|orphans
الرعاية البديلة|alternative care
التبني|adoption
الكفالة الأسرية|kafalah
إيذاء الأطفال|child abuse
العنف ضد الأطفال|violence against children
التنمر|bullying
الاستغلال الجنسي|sexual exploitation
البغاء|prostitution
المواد الإباحية|pornography
الإنترنت الآمن|online safety
السياحة الجنسية|sex tourism
بيع الأطفال|sale of children
العمل في المنازل|domestic work
خدم المنازل|domestic servants
الإيواء|shelter
مراكز الإيواء|shelters
مركز إيواء العمالة المنزلية|shelter for domestic workers
العمال غير الموثقين|undocumented workers
المقيمون غير النظاميين|irregular residents
الهجرة غير النظامية|irregular migration
المهاجرون غير النظاميين|irregular migrants
تصاريح الإقامة|residence permits
الإقامة|residency
تأشيرة|visa
تجارة الإقامات|visa trading
قانون إقامة الأجانب|Aliens Residence Law
الحق في العودة|right to return
الأمن|security
الحماية|protection
الحماية الدولية|international protection
المساواة في المعاملة|equal treatment
تكافؤ الفرص|equal opportunities
الوصول إلى العمل|access to employment
الحق في تكوين أسرة|right to found a family
المعتقلون|detainees
السجينات|women prisoners
النساء المحتجزات|women detainees
الأحداث الجانحون|juvenile offenders
إصلاحيات الأحداث|juvenile detention centres
بدائل الاحتجاز|alternatives to detention
العقوبات البديلة|alternative sentences
الإصلاح|reform
إصلاح السجون|prison reform
إصلاح القضاء|judicial reform
الإصلاح التشريعي|legislative reform
القوانين التمييزية|discriminatory laws
الأحكام التمييزية|discriminatory provisions
المواد التمييزية|discriminatory provisions
القانون|law
القوانين|laws
التشريعات|legislation
التشريع|legislation
مشروع قانون|draft law
مشروع قانون|bill
اللوائح|regulations
السياسات|policies
السياسة الوطنية|national policy
البرامج|programmes
الخطة|plan
المبادرات|initiatives
الجهود|efforts
الإنجازات|achievements
التحديات|challenges
الممارسات الفضلى|best practices
الممارسات الجيدة|good practices
التعذيب|CAT
التعذيب|OPCAT
البروتوكول الاختياري لاتفاقية سيداو|Optional Protocol to CEDAW
البروتوكول الاختياري لاتفاقية مناهضة التعذيب|Optional Protocol to CAT
محكمة الأسرة|family court
محاكم الأسرة|family courts
محكمة الأطفال|children's court
محكمة الأحداث|juvenile court
النزاعات الأسرية|family disputes
`;

export const GLOSSARY_SEED: ReadonlyArray<readonly [string, string]> = TEXT.split('\n')
  .map((l) => l.trim())
  .filter(Boolean)
  .map((l) => {
    const [ar = '', en = ''] = l.split('|');
    return [ar.trim(), en.trim()] as const;
  });
